package backoffice

import (
	"context"
	"net/http"
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
	return r.WithContext(context.WithValue(r.Context(), orgKey{}, o.Code)), nil
}

// hostOrg is the code of the request's organisation; "" (no organisation,
// so nobody's) for a request that did not go through serve.
func hostOrg(r *http.Request) string {
	code, _ := r.Context().Value(orgKey{}).(string)
	return code
}

// unknownHost answers a host that is no organisation's with a plain page.
func unknownHost(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte("Page introuvable : cette adresse n'est celle d'aucune collectivité servie ici.\n"))
}
