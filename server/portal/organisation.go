package portal

import (
	"context"
	"net/http"
	"net/url"
)

// Organisation is the city a request is for, found by the request's Host:
// everything the portal shows, links, pays and exports is of its
// households and régies, because the store's queries take its code.
type Organisation struct {
	Code string
	// Name is the city's name as citizens read it; empty for an
	// organisation never named (the portal then shows Config.City).
	Name string
	// Host is the portal's address; empty when unset.
	Host string
	// Color ("#rrggbb"), Header (the name in the header, when not Name)
	// and Logo (a path on Host) are its look; each may be empty.
	Color, Header, Logo string
}

// OrganisationStore finds the organisation a request is for.
type OrganisationStore interface {
	// OrganisationForHost is the organisation whose portal answers on
	// host: the one with that host, or the server's only organisation
	// when it has no host set; nil when there is none.
	OrganisationForHost(ctx context.Context, host string) (*Organisation, error)
}

// site is what a request's organisation changes in the portal: the
// organisation, the name shown, and the public address links are built on.
type site struct {
	org  *Organisation
	city string
	// base is the portal's public address for this organisation, and
	// origin its scheme and host, which forms must come from.
	base, origin string
}

type siteKey struct{}

// withSite resolves the request's organisation; nil when the host is no
// organisation's, and an error when the store could not say.
func (p *Portal) withSite(r *http.Request) (*http.Request, error) {
	o, err := p.st.OrganisationForHost(r.Context(), r.Host)
	if err != nil || o == nil {
		return nil, err
	}
	s := &site{org: o, city: p.cfg.City, base: p.cfg.BaseURL, origin: p.origin}
	if o.Name != "" {
		s.city = o.Name
	}
	if o.Host != "" {
		scheme := "https"
		if u, err := url.Parse(p.cfg.BaseURL); err == nil && u.Scheme != "" {
			scheme = u.Scheme
		}
		s.origin = scheme + "://" + o.Host
		if u, err := url.Parse(p.cfg.BaseURL); err == nil && u.Hostname() == o.Host {
			s.origin = u.Scheme + "://" + u.Host // the configured port, if any
		}
		s.base = s.origin
	}
	return r.WithContext(context.WithValue(r.Context(), siteKey{}, s)), nil
}

// siteOf is the request's site. Every request the mux routes went through
// withSite; anything else gets the server's own settings and an
// organisation that matches no row, so that a query it reaches answers
// nothing rather than another city's rows.
func (p *Portal) siteOf(r *http.Request) *site {
	if s, ok := r.Context().Value(siteKey{}).(*site); ok {
		return s
	}
	return &site{org: &Organisation{}, city: p.cfg.City, base: p.cfg.BaseURL, origin: p.origin}
}

// orgCode is the code of the request's organisation, which every store
// query that is not already within one household takes.
func (p *Portal) orgCode(r *http.Request) string { return p.siteOf(r).org.Code }

// unknownHost is the answer to a host that is no organisation's: a plain
// page, since there is no city to show it for.
func unknownHost(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte("Page introuvable : cette adresse n'est celle d'aucune collectivité servie ici.\n"))
}

// orgStyle is the organisation's stylesheet: its colour as the band above
// the header (a style attribute would be refused by the content policy,
// and a band needs no contrast with text).
func (p *Portal) orgStyle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	if c := p.siteOf(r).org.Color; validColor(c) {
		w.Write([]byte("header.site { border-top: 0.375rem solid " + c + "; }\n"))
	}
}

// validColor is "#rrggbb": nothing else is ever written into CSS.
func validColor(c string) bool {
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	for _, x := range c[1:] {
		if !('0' <= x && x <= '9' || 'a' <= x && x <= 'f' || 'A' <= x && x <= 'F') {
			return false
		}
	}
	return true
}
