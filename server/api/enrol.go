package api

import (
	"net/http"

	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// enrol trades a one-time enrolment code for the counter's credential. The
// code is the only proof asked: it was made by an administrator for this
// counter, and it is used up by the first enrolment — except that the same
// code sent again within store.EnrolRetryWindow gets the same credential,
// so a counter whose answer was lost can retry safely (the credential is
// derived from the code and the server key "enrol": see credential.FromEnrolCode).
func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	var req protocol.EnrolRequest
	if !decode(w, r, 4<<10, &req) {
		return
	}
	var cred string
	var c *store.Counter
	err := s.st.Update(r.Context(), func(t *store.Tx) error {
		secret, err := t.Key("enrol", 32)
		if err != nil {
			return err
		}
		cred = credential.FromEnrolCode(secret, req.Code)
		c, err = t.Enrol(credential.HashEnrolCode(req.Code), credential.Hash(cred), s.opt.Now())
		return err
	})
	if err != nil {
		s.log.Error("enrol", "err", err)
		internalError(w)
		return
	}
	if c == nil {
		s.log.Warn("enrolment refused", "remote", r.RemoteAddr)
		writeError(w, http.StatusUnauthorized, protocol.ErrorBody{Code: protocol.CodeUnauthorized,
			Message: "Code d'enrôlement inconnu, déjà utilisé ou expiré : demandez-en un nouveau à l'administrateur."})
		return
	}
	s.log.Info("counter enrolled", "regie", c.Regie, "counter", c.Code)
	writeJSON(w, http.StatusOK, protocol.EnrolResponse{Credential: cred, Counter: protocol.CounterToWire(c.Identity())})
}
