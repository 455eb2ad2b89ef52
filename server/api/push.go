package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// push stores a batch of the counter's journal in one transaction and
// answers the last entry the server holds. The body is decoded, checked and
// written as a pipeline — the next entries are decoded and their hashes
// checked while the previous ones are written — but in one transaction:
// any refusal, wherever it is found, leaves the database as it was. Each
// new entry must also meet the domain rules (store.PushChecked): a
// well-chained entry that breaks one gets 422, the entry's seq and the
// rule's code.
//
// Every refusal is then recorded for the back-office (recordRefusal), in a
// transaction of its own once the batch is rolled back; an accepted push
// records the counter's visit and reported journal head in the push's own
// transaction.
func (s *Server) push(w http.ResponseWriter, r *http.Request, c *store.Counter) {
	rr := &refusalRecorder{ResponseWriter: w}
	head := int64(-1)
	defer func() { s.recordRefusal(r.Context(), c, rr, head) }()
	s.pushRecorded(rr, r, c, &head)
}

// pushRecorded is the push itself, answering through the recorder; head
// gets the journal head the counter reported (-1 when it did not).
func (s *Server) pushRecorded(w http.ResponseWriter, r *http.Request, c *store.Counter, head *int64) {
	start := time.Now()
	var ok bool
	if *head, ok = reportedHead(w, r); !ok {
		*head = -1
		return
	}
	data, ok := readBody(w, r, s.opt.MaxPushBytes)
	if !ok {
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	decoded, prepared := make(chan chunk, 2), make(chan chunk, 2)
	go decodeEntries(ctx, data, c.Code, s.opt.MaxBatch, decoded)
	go prepareChunks(ctx, decoded, prepared)
	next := func() (*store.Batch, error) {
		ch, ok := <-prepared
		switch {
		case !ok:
			return nil, nil
		case ch.err != nil:
			return nil, ch.err
		}
		return ch.batch, nil
	}
	var res *store.PushResult
	err := s.st.Update(r.Context(), func(t *store.Tx) (err error) {
		now := s.opt.Now()
		if res, err = t.PushChecked(c, next, store.PushOptions{Now: now, Tolerance: s.opt.ClockTolerance}); err != nil {
			return err
		}
		return t.SawCounter(c.ID, *head, now)
	})
	var ee *store.EntryError
	var rf *refusal
	switch {
	case errors.As(err, &rf):
		s.log.Warn("push refused", "regie", c.Regie, "counter", c.Code, "status", rf.status, "code", rf.body.Code, "seq", rf.body.Seq)
		writeError(w, rf.status, rf.body)
		return
	case errors.As(err, &ee):
		status := http.StatusConflict
		switch {
		case ee.Violation:
			status = http.StatusUnprocessableEntity
		case ee.Code == protocol.CodeForbidden:
			status = http.StatusForbidden
		case ee.Code == protocol.CodeMalformed:
			status = http.StatusBadRequest
		}
		s.log.Warn("push refused", "regie", c.Regie, "counter", c.Code, "seq", ee.Seq, "code", ee.Code, "reason", ee.Reason)
		writeError(w, status, protocol.ErrorBody{Code: ee.Code, Message: ee.Message, Seq: ee.Seq, LastSeq: ee.LastSeq})
		return
	case err != nil:
		s.log.Error("push", "regie", c.Regie, "counter", c.Code, "err", err)
		internalError(w)
		return
	}
	s.log.Info("push", "regie", c.Regie, "counter", c.Code, "stored", res.Stored, "ignored", res.Ignored,
		"last_seq", res.LastSeq, "ms", time.Since(start).Milliseconds())
	writeJSON(w, http.StatusOK, protocol.PushResponse{LastSeq: res.LastSeq, LastHash: res.LastHash, Stored: res.Stored, Ignored: res.Ignored})
}
