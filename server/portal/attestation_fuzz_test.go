package portal

import (
	"strconv"
	"testing"
)

// FuzzAttestationYear: a file name is a year only when it is exactly a
// plausible year followed by ".pdf", and then names that year.
func FuzzAttestationYear(f *testing.F) {
	for _, s := range []string{"2026.pdf", "1999.pdf", "2201.pdf", "02026.pdf", "+2026.pdf", "2026", "2026.PDF", "deux.pdf", ".pdf", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, file string) {
		y, ok := attestationYear(file)
		if !ok {
			if y != 0 {
				t.Fatalf("%q refused with year %d", file, y)
			}
			return
		}
		if y < 2000 || y > 2200 || file != strconv.Itoa(y)+".pdf" {
			t.Fatalf("%q read as %d", file, y)
		}
	})
}
