package api

import (
	"net/http"
	"strings"

	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// authenticated finds the counter whose credential the request carries
// ("Authorization: Bearer …") and hands it to h; a missing, unknown or
// revoked credential gets 401 and h never runs.
func (s *Server) authenticated(h func(http.ResponseWriter, *http.Request, *store.Counter)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		token = strings.TrimSpace(token)
		if !ok || token == "" {
			writeError(w, http.StatusUnauthorized, protocol.ErrorBody{Code: protocol.CodeUnauthorized,
				Message: "Poste non identifié : enrôlez ce poste auprès du serveur."})
			return
		}
		var c *store.Counter
		err := s.st.View(r.Context(), func(t *store.Tx) (err error) {
			c, err = t.CounterByCredential(credential.Hash(token))
			return err
		})
		if err != nil {
			s.log.Error("authenticate", "err", err)
			internalError(w)
			return
		}
		if c == nil {
			s.log.Warn("unknown or revoked credential", "remote", r.RemoteAddr, "path", r.URL.Path)
			writeError(w, http.StatusUnauthorized, protocol.ErrorBody{Code: protocol.CodeUnauthorized,
				Message: "Poste inconnu ou révoqué par le serveur : prévenez l'administrateur."})
			return
		}
		h(w, r, c)
	}
}
