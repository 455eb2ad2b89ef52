package serial

import (
	"slices"
	"strconv"
	"strings"
)

// Likely lists the ports a card terminal is likely on, the most likely
// first, for the settings screen. It never opens a port on Linux; on
// Windows it asks the system for its COM devices, and probes COM1–COM20
// only when that fails. The list may be empty: the agent can still type a
// name.
func Likely() []string { return likely() }

// naturalSort orders port names with their numbers read as numbers:
// ttyACM2 before ttyACM10, COM9 before COM10.
func naturalSort(names []string) {
	slices.SortFunc(names, func(a, b string) int {
		pa, na := splitNumber(a)
		pb, nb := splitNumber(b)
		if c := strings.Compare(strings.ToUpper(pa), strings.ToUpper(pb)); c != 0 {
			return c
		}
		if na != nb {
			return na - nb
		}
		return strings.Compare(a, b)
	})
}

// splitNumber cuts the decimal number that ends s.
func splitNumber(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil {
		return s, -1
	}
	return s[:i], n
}

// comNames keeps the COM ports of a list of DOS device names (the
// NUL-separated list QueryDosDevice returns), in natural order.
func comNames(devices string) []string {
	var out []string
	for _, d := range strings.Split(devices, "\x00") {
		if p, n := splitNumber(d); strings.EqualFold(p, "COM") && n > 0 && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	naturalSort(out)
	return out
}
