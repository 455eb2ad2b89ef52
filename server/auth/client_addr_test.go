package auth_test

import (
	"net/http/httptest"
	"testing"

	"github.com/regie-fr/regie/server/auth"
)

// TestClientAddr: X-Forwarded-For is read only from trusted proxies, from
// its right end, and what the client wrote left of the first untrusted
// address counts for nothing.
func TestClientAddr(t *testing.T) {
	proxies, err := auth.ParsePrefixes("10.0.0.0/8, 192.168.1.10 ::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, peer string
		xff        []string
		trusted    bool
		want       string
	}{
		{"no proxy configured", "203.0.113.9:5000", []string{"198.51.100.1"}, false, "203.0.113.9"},
		{"untrusted peer", "203.0.113.9:5000", []string{"198.51.100.1"}, true, "203.0.113.9"},
		{"one trusted proxy", "10.1.2.3:5000", []string{"198.51.100.1"}, true, "198.51.100.1"},
		{"forged entries on the left", "10.1.2.3:5000", []string{"1.1.1.1, 2.2.2.2, 198.51.100.1"}, true, "198.51.100.1"},
		{"two trusted hops", "10.1.2.3:5000", []string{"198.51.100.1, 192.168.1.10"}, true, "198.51.100.1"},
		{"several headers", "[::1]:5000", []string{"8.8.8.8", "198.51.100.1, 10.9.9.9"}, true, "198.51.100.1"},
		{"garbage stops at the last trusted hop", "10.1.2.3:5000", []string{"198.51.100.1, pas-une-adresse"}, true, "10.1.2.3"},
		{"trusted peer without header", "10.1.2.3:5000", nil, true, "10.1.2.3"},
		{"all trusted", "10.1.2.3:5000", []string{"10.0.0.1"}, true, "10.0.0.1"},
		{"IPv4-mapped", "[::ffff:10.1.2.3]:5000", []string{"198.51.100.1"}, true, "198.51.100.1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		for _, x := range c.xff {
			r.Header.Add("X-Forwarded-For", x)
		}
		var tr = proxies
		if !c.trusted {
			tr = nil
		}
		if got := auth.ClientAddr(r, tr).String(); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if _, err := auth.ParsePrefixes("10.0.0.0/8, n'importe quoi"); err == nil {
		t.Fatal("a bad network accepted")
	}
}
