package store_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/store"
)

var (
	fuzzColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	fuzzLogo  = regexp.MustCompile(`^/[A-Za-z0-9._/-]+$`)
	fuzzHost  = regexp.MustCompile(`^[a-z0-9.-]+$`)
)

// FuzzOrganisation: whatever an administrator types, an organisation that
// validates has a host as requests are matched (lower case, no port, no
// scheme, no path) and a look that can go into CSS and an img src as it is:
// a colour "#rrggbb", a logo path on the organisation's own origin.
func FuzzOrganisation(f *testing.F) {
	f.Add("ville-a", "Ville d'Aubrac", "Paiements.Aubrac.FR:443", "#1d4f91", "Aubrac", "/logo.png")
	f.Add("x", "", "https://evil/", "red;}body{x", "", "//evil/x.png")
	f.Add("b", "B", "[::1]:80", "#ABCDEF", "B\nC", "/../x")
	f.Fuzz(func(t *testing.T, code, name, host, color, header, logo string) {
		o := store.Organisation{Code: code, Name: name, Host: store.NormalHost(host),
			Look: store.Look{Color: color, Header: header, Logo: logo}}
		if o.Validate() != nil {
			return
		}
		if o.Host != "" && (store.NormalHost(o.Host) != o.Host || !fuzzHost.MatchString(o.Host)) {
			t.Fatalf("host %q accepted as %q", host, o.Host)
		}
		if color != "" && !fuzzColor.MatchString(color) {
			t.Fatalf("colour %q accepted", color)
		}
		if logo != "" && (!fuzzLogo.MatchString(logo) || strings.HasPrefix(logo, "//") || strings.Contains(logo, "..")) {
			t.Fatalf("logo %q accepted", logo)
		}
		if strings.ContainsAny(name+header, "\r\n") {
			t.Fatalf("a name on two lines accepted: %q %q", name, header)
		}
	})
}
