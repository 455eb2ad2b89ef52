package api

import (
	"net/http"

	"github.com/regie-fr/regie/server/store"
)

// health answers 200 when the database answers, for a load balancer or a
// supervisor; it needs no credential and says nothing else.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if err := s.st.View(r.Context(), func(t *store.Tx) error { return t.Ping() }); err != nil {
		s.log.Error("health", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
