package backoffice

import (
	"net/http"

	"github.com/regie-fr/regie/server/auth"
)

// serve routes a request, answering in French what the mux would answer in
// plain English: an unknown address (404), a known address with another
// method (405, with Allow).
func (b *Backoffice) serve(w http.ResponseWriter, r *http.Request) {
	r, err := b.withOrg(r)
	if err != nil {
		b.log.Error("backoffice: organisation", "err", err)
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	} else if r == nil {
		unknownHost(w)
		return
	}
	if _, pattern := b.mux.Handler(r); pattern == "" {
		if allow, notAllowed := auth.Unrouted(b.mux, r); notAllowed {
			w.Header().Set("Allow", allow)
			v, _ := b.current(r)
			b.fail(w, r, v, http.StatusMethodNotAllowed, "Action impossible",
				"Cette page ne peut pas être utilisée de cette façon. Revenez à la page précédente et utilisez ses liens et boutons.")
			return
		}
		b.notFound(w, r)
		return
	}
	b.mux.ServeHTTP(w, r)
}
