package publik

import "testing"

// TestBaseOf: receipts printed for a régie of an organisation with its
// own address check on that address, with the configured scheme (and
// port when it is the configured host).
func TestBaseOf(t *testing.T) {
	for _, c := range []struct{ base, host, want string }{
		{"https://regie.example/", "", "https://regie.example"},
		{"https://regie.example", "paiements.b.fr", "https://paiements.b.fr"},
		{"http://127.0.0.1:8080", "ville-a.test", "http://ville-a.test"},
		{"http://ville-a.test:8080", "ville-a.test", "http://ville-a.test:8080"},
		{"", "paiements.b.fr", "https://paiements.b.fr"},
	} {
		a := &API{cfg: Config{BaseURL: c.base}}
		if got := a.baseOf(c.host); got != c.want {
			t.Errorf("baseOf(%q) on %q: %q, want %q", c.host, c.base, got, c.want)
		}
	}
	a := &API{cfg: Config{Orgs: map[string]string{"publik-a": "ville-a"}}}
	for _, c := range []struct {
		orig, org string
		orgs      int
		want      bool
	}{
		{"publik-a", "ville-a", 2, true}, {"publik-a", "ville-b", 2, false},
		{"autre", "ville-a", 2, false}, {"autre", "ville", 1, true},
	} {
		if got := a.mayCall(c.orig, c.org, c.orgs); got != c.want {
			t.Errorf("mayCall(%q, %q, %d) = %v", c.orig, c.org, c.orgs, got)
		}
	}
}
