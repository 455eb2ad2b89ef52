package auth

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ClientAddr is the address a request comes from. The direct peer is the
// client unless it is one of the trusted proxies: X-Forwarded-For is then
// read from its right end, each proxy appending the address it got the
// request from, and the first address that is not a trusted proxy is the
// client. Entries left of it were written by the client itself and prove
// nothing; an entry that is not an address stops the walk at the last
// trusted hop. Without trusted proxies X-Forwarded-For is ignored.
func ClientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer := addrOf(r.RemoteAddr)
	if !peer.IsValid() || !inPrefixes(peer, trusted) {
		return peer
	}
	hops := r.Header.Values("X-Forwarded-For")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a := addrOf(strings.TrimSpace(parts[j]))
			if !a.IsValid() {
				return client
			}
			client = a
			if !inPrefixes(a, trusted) {
				return a
			}
		}
	}
	return client
}

// addrOf reads "1.2.3.4", "1.2.3.4:5678", "[::1]:80" or "::1".
func addrOf(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap()
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	return a.WithZone("").Unmap()
}

func inPrefixes(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParsePrefixes reads a list of networks separated by commas or spaces
// ("10.0.0.0/8, 192.168.1.10, ::1"); a bare address is a network of one.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q n'est ni une adresse IP ni un réseau (10.0.0.0/8)", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
