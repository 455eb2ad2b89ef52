package portal

import (
	"net/http"

	"github.com/regie-fr/regie/server/auth"
)

// serve routes a request, answering in French what the mux would answer
// in plain English: a header too large (431), an unknown address (404), a
// known address with another method (405, with Allow).
func (p *Portal) serve(w http.ResponseWriter, r *http.Request) {
	if headerSize(r) > p.cfg.MaxHeaderBytes {
		p.log.Warn("portal: request header too large", "path", r.URL.Path)
		w.Header().Set("Connection", "close")
		p.fail(w, r, nil, http.StatusRequestHeaderFieldsTooLarge, "Requête trop volumineuse",
			"Votre navigateur a envoyé des en-têtes trop volumineux. Effacez les cookies de ce site, puis rechargez la page.")
		return
	}
	r, err := p.withSite(r)
	if err != nil {
		p.internal(w, r, nil, "organisation", err)
		return
	} else if r == nil {
		unknownHost(w)
		return
	}
	if _, pattern := p.mux.Handler(r); pattern == "" {
		if allow, notAllowed := auth.Unrouted(p.mux, r); notAllowed {
			w.Header().Set("Allow", allow)
			p.fail(w, r, p.visitor(r), http.StatusMethodNotAllowed, "Action impossible",
				"Cette page ne peut pas être utilisée de cette façon. Revenez à la page précédente et utilisez ses liens et boutons.")
			return
		}
		p.notFound(w, r)
		return
	}
	p.mux.ServeHTTP(w, r)
}

// headerSize is roughly what the request's header took on the wire.
func headerSize(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + len(r.Host) + 4
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}
