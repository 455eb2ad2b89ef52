package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// pull answers one page of the reference data changed since the cursor the
// counter sends (none: everything), computed in one read transaction so
// that remaining amounts and as_of_seq agree.
func (s *Server) pull(w http.ResponseWriter, r *http.Request, c *store.Counter) {
	start := time.Now()
	limit := s.opt.PullLimit
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, protocol.ErrorBody{Code: protocol.CodeMalformed,
				Message: "Paramètre « limit » invalide."})
			return
		}
		limit = min(n, s.opt.PullLimit)
	}
	var p *protocol.PullResponse
	err := s.st.View(r.Context(), func(t *store.Tx) (err error) {
		p, err = t.Pull(c, r.URL.Query().Get("cursor"), limit)
		return err
	})
	if err != nil {
		if regie.ErrorCodeOf(err) == regie.EInvalid {
			writeError(w, http.StatusBadRequest, protocol.ErrorBody{Code: protocol.CodeMalformed, Message: regie.ErrorMessage(err)})
			return
		}
		s.log.Error("pull", "regie", c.Regie, "counter", c.Code, "err", err)
		internalError(w)
		return
	}
	s.log.Info("pull", "regie", c.Regie, "counter", c.Code, "households", len(p.Households), "invoices", len(p.Invoices),
		"more", p.More, "as_of_seq", p.AsOfSeq, "ms", time.Since(start).Milliseconds())
	writeJSON(w, http.StatusOK, p)
}
