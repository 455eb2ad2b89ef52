package api

import (
	"net/http"
	"strconv"

	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// journalLimit bounds a page of journal heads: about 150 bytes each.
const journalLimit = 5000

// journal answers a page of the calling counter's own journal as the
// server holds it — seq, id and hash after ?after=SEQ, at most ?limit=N —
// so that the counter's verify can find where its file and the server's
// copy part. A counter reads only its own journal: the credential says
// which.
func (s *Server) journal(w http.ResponseWriter, r *http.Request, c *store.Counter) {
	q := r.URL.Query()
	after, limit := int64(0), journalLimit
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, protocol.ErrorBody{Code: protocol.CodeMalformed,
				Message: "Paramètre « after » invalide : un numéro d'entrée, 0 ou plus."})
			return
		}
		after = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, protocol.ErrorBody{Code: protocol.CodeMalformed,
				Message: "Paramètre « limit » invalide."})
			return
		}
		limit = min(n, journalLimit)
	}
	var p *protocol.JournalPage
	err := s.st.View(r.Context(), func(t *store.Tx) (err error) {
		p, err = t.JournalHeads(c.ID, after, limit)
		return err
	})
	if err != nil {
		s.log.Error("journal", "regie", c.Regie, "counter", c.Code, "err", err)
		internalError(w)
		return
	}
	writeJSON(w, http.StatusOK, p)
}
