package backoffice

import "net/http"

// serve routes a request, answering in French what the mux would answer in
// plain English: an unknown address (404), a known address with another
// method (405, with Allow).
func (b *Backoffice) serve(w http.ResponseWriter, r *http.Request) {
	h, pattern := b.mux.Handler(r)
	if pattern == "" {
		probe := &statusProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		if probe.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", probe.header.Get("Allow"))
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
