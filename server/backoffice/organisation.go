package backoffice

import (
	"context"
	"net/http"
	"net/url"

	"github.com/regie-fr/regie/server/store"
)

// The back-office of a server serving several cities answers each on its
// organisation's address: the request's Host picks the organisation (as on
// the portal: the one with that host, or the server's only one when it has
// none), a staff account logs in and stays logged in only on its own, and
// every list is of that organisation's régies and accounts — v.Regies and
// v.Can never name a régie of another.

type orgKey struct{}

// withOrg resolves the request's organisation; nil when the host is no
// organisation's.
func (b *Backoffice) withOrg(r *http.Request) (*http.Request, error) {
	o, err := b.st.OrganisationForHost(r.Context(), r.Host)
	if err != nil || o == nil {
		return nil, err
	}
	return r.WithContext(context.WithValue(r.Context(), orgKey{}, o)), nil
}

// hostOrg is the code of the request's organisation; "" (no organisation,
// so nobody's) for a request that did not go through serve.
func hostOrg(r *http.Request) string {
	if o, ok := r.Context().Value(orgKey{}).(*store.Organisation); ok {
		return o.Code
	}
	return ""
}

// originOf is the origin forms must come from, and base the address the
// back-office is reached at: the organisation's own when it has a host.
func (b *Backoffice) originOf(r *http.Request) (origin, base string) {
	o, ok := r.Context().Value(orgKey{}).(*store.Organisation)
	if !ok || o.Host == "" {
		return b.origin, b.cfg.PublicURL
	}
	u, err := url.Parse(b.cfg.PublicURL)
	scheme := "https"
	if err == nil && u.Scheme != "" {
		scheme = u.Scheme
	}
	origin = scheme + "://" + o.Host
	if err == nil && u.Hostname() == o.Host {
		origin = u.Scheme + "://" + u.Host // the configured port, if any
	}
	return origin, origin
}

// cityOf is the name pages show for the request's organisation: its own,
// or REGIE_CITY for one never named.
func (b *Backoffice) cityOf(r *http.Request) string {
	if o, ok := r.Context().Value(orgKey{}).(*store.Organisation); ok && o.Name != "" {
		return o.Name
	}
	return b.cfg.City
}

// unknownHost answers a host that is no organisation's with a plain page.
func unknownHost(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte("Page introuvable : cette adresse n'est celle d'aucune collectivité servie ici.\n"))
}
