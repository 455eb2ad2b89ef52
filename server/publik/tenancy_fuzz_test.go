package publik

import (
	"sort"
	"strings"
	"testing"
)

// FuzzParseOrgs: REGIE_PUBLIK_ORGS read as it is written, or refused; what
// is read has no empty or padded name, and written back reads the same.
func FuzzParseOrgs(f *testing.F) {
	for _, s := range []string{"", "publik=ville", "a=ville-a, b=ville-b", "a=x,a=y", "=x", "a=", "a", " , ,a=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseOrgs(s)
		if err != nil {
			return
		}
		var items []string
		for orig, org := range m {
			if orig == "" || org == "" || strings.TrimSpace(orig) != orig || strings.TrimSpace(org) != org || strings.Contains(orig, ",") || strings.Contains(org, ",") {
				t.Fatalf("%q read as %q=%q", s, orig, org)
			}
			items = append(items, orig+"="+org)
		}
		sort.Strings(items)
		again, err := ParseOrgs(strings.Join(items, ","))
		if err != nil || len(again) != len(m) {
			t.Fatalf("%q written back as %q: %v %v", s, items, again, err)
		}
		for k, v := range m {
			if again[k] != v {
				t.Fatalf("%q: %s=%s became %s", s, k, v, again[k])
			}
		}
	})
}
