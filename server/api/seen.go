package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// The back-office's dashboard shows when each counter last called, how
// many entries it holds that the server has not (it says its journal's
// head on every request: protocol.HeaderJournalHead), and every push the
// server refused with the reason the counter was given.

// reportedHead reads the counter's journal head from the request: -1 when
// the header is absent (an older program: unknown). A header that is not
// a seq gets 400 and false.
func reportedHead(w http.ResponseWriter, r *http.Request) (int64, bool) {
	v := r.Header.Get(protocol.HeaderJournalHead)
	if v == "" {
		return -1, true
	}
	head, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || head < 0 {
		writeError(w, http.StatusBadRequest, protocol.ErrorBody{Code: protocol.CodeMalformed,
			Message: "Requête illisible : l'en-tête " + protocol.HeaderJournalHead + " n'est pas un numéro d'entrée."})
		return 0, false
	}
	return head, true
}

// seenEvery is how often a counter's visits are written when its head has
// not changed: a pull every 30 s costs a write a minute at most.
const seenEvery = time.Minute

// seen records the counter's visit and head before h, except when nothing
// changed within seenEvery. Failing to record it is logged, never refused:
// the sync goes first.
func (s *Server) seen(h func(http.ResponseWriter, *http.Request, *store.Counter)) func(http.ResponseWriter, *http.Request, *store.Counter) {
	return func(w http.ResponseWriter, r *http.Request, c *store.Counter) {
		head, ok := reportedHead(w, r)
		if !ok {
			return
		}
		now := s.opt.Now()
		var last time.Time
		var known int64
		err := s.st.View(r.Context(), func(t *store.Tx) (err error) {
			last, known, err = t.CounterSeen(c.ID)
			return err
		})
		if err == nil && (now.Sub(last) >= seenEvery || head >= 0 && head != known) {
			err = s.st.Update(r.Context(), func(t *store.Tx) error { return t.SawCounter(c.ID, head, now) })
		}
		if err != nil {
			s.log.Error("record counter seen", "regie", c.Regie, "counter", c.Code, "err", err)
		}
		h(w, r, c)
	}
}

// refusalRecorder keeps the status and the body of a refusal (4xx) as the
// push handler writes it, so that every refused push is recorded, whatever
// refused it: the body reader, the decoder, the chain or the rules.
type refusalRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (rr *refusalRecorder) WriteHeader(status int) {
	if rr.status == 0 {
		rr.status = status
	}
	rr.ResponseWriter.WriteHeader(status)
}

func (rr *refusalRecorder) Write(b []byte) (int, error) {
	if rr.status == 0 {
		rr.status = http.StatusOK
	}
	if rr.status >= 400 && rr.status < 500 && rr.body.Len() < 8<<10 {
		rr.body.Write(b)
	}
	return rr.ResponseWriter.Write(b)
}

// Unwrap gives the server's own writer (http.ResponseController).
func (rr *refusalRecorder) Unwrap() http.ResponseWriter { return rr.ResponseWriter }

// unwrapped is the server's own writer under a refusalRecorder:
// http.MaxBytesReader closes the connection after a body too large only
// when it is given that one.
func unwrapped(w http.ResponseWriter) http.ResponseWriter {
	if rr, ok := w.(*refusalRecorder); ok {
		return rr.ResponseWriter
	}
	return w
}

// recordRefusal writes the refusal rr saw, if any, in a transaction of its
// own: the refused batch has been rolled back, and only what the counter
// was told is kept, with the head it reported.
func (s *Server) recordRefusal(ctx context.Context, c *store.Counter, rr *refusalRecorder, head int64) {
	if rr.status < 400 || rr.status >= 500 {
		return
	}
	var body protocol.ErrorBody
	if json.Unmarshal(rr.body.Bytes(), &body) != nil || body.Code == "" {
		body = protocol.ErrorBody{Code: strconv.Itoa(rr.status), Message: http.StatusText(rr.status)}
	}
	now := s.opt.Now()
	err := s.st.Update(context.WithoutCancel(ctx), func(t *store.Tx) error {
		if err := t.RecordRefusal(c.ID, store.Refusal{At: now, Status: rr.status, Seq: body.Seq, Code: body.Code,
			Message: body.Message}); err != nil {
			return err
		}
		return t.SawCounter(c.ID, head, now)
	})
	if err != nil {
		s.log.Error("record refused push", "regie", c.Regie, "counter", c.Code, "err", err)
	}
}
