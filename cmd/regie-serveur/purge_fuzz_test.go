package main

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzRetentionMonths: a retention is accepted only as a plain number of
// months from 1 to 120 (24 when unset), and refused with a French message
// otherwise.
func FuzzRetentionMonths(f *testing.F) {
	for _, s := range []string{"", "24", " 6 ", "0", "121", "-3", "+12", "douze", "1e2", "24 mois", "0x10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := retentionMonths(s)
		if err != nil {
			if !strings.Contains(err.Error(), "un nombre de mois de 1 à 120") {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if n < 1 || n > 120 {
			t.Fatalf("%q read as %d", s, n)
		}
		if strings.TrimSpace(s) == "" {
			if n != 24 {
				t.Fatalf("unset read as %d", n)
			}
		} else if m, err := strconv.Atoi(strings.TrimSpace(s)); err != nil || m != n {
			t.Fatalf("%q read as %d", s, n)
		}
	})
}
