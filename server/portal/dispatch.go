package portal

import (
	"net/http"
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
	h, pattern := p.mux.Handler(r)
	if pattern == "" {
		// The mux has no page here: its handler answers 404, or 405 with
		// the methods it has; only the status and Allow are kept of it.
		probe := &statusProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		if probe.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", probe.header.Get("Allow"))
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

// statusProbe records what a handler would answer, writing nothing.
type statusProbe struct {
	header http.Header
	status int
}

func (s *statusProbe) Header() http.Header { return s.header }
func (s *statusProbe) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
}
func (s *statusProbe) Write(b []byte) (int, error) {
	s.WriteHeader(http.StatusOK)
	return len(b), nil
}
