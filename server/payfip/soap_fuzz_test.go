package payfip

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseAnswers feeds anything to the two answer parsers: they never
// panic, and what they accept is sound — a valid idOp, an amount in cents
// that is not negative, a fault with its code.
func FuzzParseAnswers(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, n := range files {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := ParseDetailAnswer(body)
		var fault *Fault
		switch {
		case err == nil:
			if !validIdOp(d.IdOp) || d.Amount < 0 {
				t.Fatalf("accepted %+v", d)
			}
		case errors.As(err, &fault):
			if errors.Is(err, ErrPending) && fault.Code != "P5" {
				t.Fatalf("pending fault %+v", fault)
			}
		case !errors.Is(err, errMalformed):
			t.Fatalf("unexpected error %v", err)
		}
		idOp, err := ParseCreateAnswer(body)
		if err == nil && !validIdOp(idOp) {
			t.Fatalf("accepted idOp %q", idOp)
		}
	})
}
