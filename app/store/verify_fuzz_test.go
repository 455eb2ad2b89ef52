package store

import (
	"fmt"
	"strings"
	"testing"
)

// FuzzParseAnchor: whatever is typed after --expect, the parser either
// refuses it or gives a seq and a 64-digit lowercase hash that read back
// the same.
func FuzzParseAnchor(f *testing.F) {
	for _, s := range []string{"12:" + strings.Repeat("ab", 32), " 3 : " + strings.Repeat("AB", 32), "x:y", ":", "-1:0", "9999999999999999999:" + strings.Repeat("0", 64)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAnchor(s)
		if err != nil {
			return
		}
		if a.Seq < 1 || len(a.Hash) != 64 || hexDigits(a.Hash) != a.Hash {
			t.Fatalf("%q gave %+v", s, a)
		}
		if b, err := ParseAnchor(fmt.Sprintf("%d:%s", a.Seq, a.Hash)); err != nil || b != a {
			t.Fatalf("%+v does not read back: %+v %v", a, b, err)
		}
	})
}

// FuzzParseReceiptAnchor: a receipt anchor accepted has a valid receipt
// number and a fingerprint of 16 to 64 lowercase hex digits.
func FuzzParseReceiptAnchor(f *testing.F) {
	for _, s := range []string{"R-ENF-C01-2026-000042:5ad9 8bdd 99fa 8dc6", "R-ENF-C01-2026-000042:" + strings.Repeat("f", 64), "R::", "nope:abcd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseReceiptAnchor(s)
		if err != nil {
			return
		}
		if len(a.Fingerprint) < 16 || len(a.Fingerprint) > 64 || hexDigits(a.Fingerprint) != a.Fingerprint {
			t.Fatalf("%q gave %+v", s, a)
		}
		if b, err := ParseReceiptAnchor(a.Receipt + ":" + a.Fingerprint); err != nil || b != a {
			t.Fatalf("%+v does not read back: %+v %v", a, b, err)
		}
	})
}

// FuzzNormalizeSQL: normalising is idempotent and never grows the text.
func FuzzNormalizeSQL(f *testing.F) {
	for _, s := range []string{"CREATE TABLE t (a -- x\n)", "SELECT '--' /* c */ FROM t", "\"a\"\"b\"", "/*", "--"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := normalizeSQL(s)
		if len(n) > len(s) {
			t.Fatalf("%q grew to %q", s, n)
		}
		if strings.Contains(n, "  ") {
			t.Fatalf("%q keeps a double space: %q", s, n)
		}
	})
}
