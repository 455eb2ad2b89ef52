package api

import (
	"net/http"
	"strings"

	"github.com/regie-fr/regie/sync/protocol"
)

// methods are those a path of the API may be served with.
var methods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// unknownPath answers a request under /api/ that no route takes, in French
// JSON like every other answer of the API: 405 with the Allow header when
// the path is served with other methods, 404 otherwise. (The mux's own
// answers are English plain text.)
func (s *Server) unknownPath(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range methods {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && !s.fallbacks[pattern] {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, http.StatusMethodNotAllowed, protocol.ErrorBody{Code: "method_not_allowed",
			Message: "Méthode " + r.Method + " non acceptée à cette adresse (" + strings.Join(allow, ", ") + ")."})
		return
	}
	writeError(w, http.StatusNotFound, protocol.ErrorBody{Code: "not_found",
		Message: "Adresse inconnue du serveur de synchronisation."})
}
