//go:build !windows

package serial

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestGlobPorts(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"ttyACM1", "ttyACM0", "ttyUSB0", "other", "ttyS0"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got := globPorts([]string{filepath.Join(dir, "ttyACM*"), filepath.Join(dir, "tty*")},
		[]string{filepath.Join(dir, "ttyS0"), filepath.Join(dir, "ttyS1")})
	want := []string{"ttyACM0", "ttyACM1", "ttyS0", "ttyUSB0"}
	for i := range want {
		want[i] = filepath.Join(dir, want[i])
	}
	if !slices.Equal(got, want) {
		t.Fatalf("globPorts = %v, want %v", got, want)
	}
	_ = Likely() // must not fail on this machine, whatever it has
}

func TestNaturalSortAndCOMNames(t *testing.T) {
	names := []string{"/dev/ttyACM10", "/dev/ttyACM2", "/dev/ttyUSB0", "/dev/ttyACM0"}
	naturalSort(names)
	if want := []string{"/dev/ttyACM0", "/dev/ttyACM2", "/dev/ttyACM10", "/dev/ttyUSB0"}; !slices.Equal(names, want) {
		t.Fatalf("sorted %v", names)
	}
	got := comNames("LPT1\x00COM10\x00C:\x00COM3\x00COM\x00COMX\x00com1\x00COM3\x00\x00")
	if want := []string{"com1", "COM3", "COM10"}; !slices.Equal(got, want) {
		t.Fatalf("comNames = %v, want %v", got, want)
	}
}
