//go:build !windows

package serial

import (
	"os"
	"path/filepath"
)

// Patterns of likely ports, best first: the stable names udev gives USB
// devices, USB CDC-ACM (Ingenico and most USB terminals), USB-to-RS-232
// adapters, macOS, then the first two native serial ports.
var likelyPatterns = []string{
	"/dev/serial/by-id/*",
	"/dev/ttyACM*",
	"/dev/ttyUSB*",
	"/dev/cu.usbmodem*",
	"/dev/cu.usbserial*",
}

var nativePorts = []string{"/dev/ttyS0", "/dev/ttyS1"}

func likely() []string {
	return globPorts(likelyPatterns, nativePorts)
}

func globPorts(patterns, fixed []string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(names []string) {
		naturalSort(names)
		for _, n := range names {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	for _, p := range patterns {
		m, _ := filepath.Glob(p)
		add(m)
	}
	for _, f := range fixed {
		if _, err := os.Stat(f); err == nil {
			add([]string{f})
		}
	}
	return out
}
