package auth

import "net/http"

// Unrouted tells what a mux would answer a request that matches none of
// its patterns: 405 with the methods it has for the path (allow), or 404.
// The portal and the back-office then answer with their own French page
// instead of the mux's plain English text.
func Unrouted(mux *http.ServeMux, r *http.Request) (allow string, notAllowed bool) {
	h, _ := mux.Handler(r)
	probe := &statusProbe{header: http.Header{}}
	h.ServeHTTP(probe, r)
	return probe.header.Get("Allow"), probe.status == http.StatusMethodNotAllowed
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
