package publik

import (
	"fmt"
	"net/url"
	"strings"
)

// ParseOrgs reads which organisation each caller serves, as
// REGIE_PUBLIK_ORGS gives it: "orig1=ville-a,orig2=ville-b". On a server
// of several organisations a caller may call the régies of its own only,
// and a caller named nowhere is refused every régie: one city's Publik
// never reads another's households.
func ParseOrgs(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		orig, org, found := strings.Cut(item, "=")
		orig, org = strings.TrimSpace(orig), strings.TrimSpace(org)
		switch {
		case !found || orig == "" || org == "":
			return nil, fmt.Errorf("organisation Publik : « orig=organisation » attendu")
		case out[orig] != "":
			return nil, fmt.Errorf("organisation Publik : %s est nommé deux fois", orig)
		}
		out[orig] = org
	}
	return out, nil
}

// baseOf is the portal's address of an organisation whose host is host:
// the configured address's scheme on that host; the configured address
// when the organisation has none.
func (a *API) baseOf(host string) string {
	base := strings.TrimRight(a.cfg.BaseURL, "/")
	if host == "" {
		return base
	}
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" {
		return "https://" + host
	}
	if u.Hostname() == host {
		return u.Scheme + "://" + u.Host
	}
	return u.Scheme + "://" + host
}

// mayCall tells whether the caller orig may call a régie of the
// organisation org, on a server holding orgs organisations.
func (a *API) mayCall(orig, org string, orgs int) bool {
	if bound, ok := a.cfg.Orgs[orig]; ok {
		return bound == org
	}
	return orgs == 1
}
