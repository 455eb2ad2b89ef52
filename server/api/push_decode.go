package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// chunkSize is how many entries the push handler decodes and checks at a
// time while the previous ones are being written.
const chunkSize = 256

// refusal is a request refused before anything was written, with its
// status and body.
type refusal struct {
	status int
	body   protocol.ErrorBody
}

func (r *refusal) Error() string {
	return fmt.Sprintf("refused %d %s: %s", r.status, r.body.Code, r.body.Message)
}

// chunk is a run of decoded entries on its way to the store, or the
// refusal that stopped the decoding.
type chunk struct {
	entries []regie.Entry
	batch   *store.Batch
	err     *refusal
}

// readBody reads a request body of at most limit bytes, answering 413 when
// it is larger.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	if r.ContentLength > limit {
		tooLarge(w, limit)
		return nil, false
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(unwrapped(w), r.Body, limit))
	data := buf.Bytes()
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		tooLarge(w, limit)
		return nil, false
	} else if err != nil {
		writeError(w, http.StatusBadRequest, protocol.ErrorBody{Code: protocol.CodeMalformed,
			Message: "Requête interrompue avant sa fin."})
		return nil, false
	}
	return data, true
}

// decodeEntries reads a push body as it goes, sending its entries in
// chunks, each checked for what needs no database: JSON shape and types,
// the counter's own code, the journal time format, consecutive sequence
// numbers, the batch size. A refusal is sent as the last chunk.
func decodeEntries(ctx context.Context, data []byte, code string, maxBatch int, out chan<- chunk) {
	defer close(out)
	send := func(c chunk) bool {
		select {
		case out <- c:
			return true
		case <-ctx.Done():
			return false
		}
	}
	fail := func(status int, body protocol.ErrorBody) { send(chunk{err: &refusal{status, body}}) }
	malformed := func(err error, seq int64) {
		msg := "Requête illisible : le corps n'est pas un JSON valide."
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			msg = fmt.Sprintf("Requête illisible : le champ « %s » n'a pas le bon type.", te.Field)
		}
		fail(http.StatusBadRequest, protocol.ErrorBody{Code: protocol.CodeMalformed, Message: msg, Seq: seq})
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		malformed(err, 0)
		return
	}
	var entries []regie.Entry
	var claimed string
	var n int
	var last int64
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			malformed(err, 0)
			return
		}
		switch tok {
		case "counter":
			if err := dec.Decode(&claimed); err != nil {
				malformed(err, 0)
				return
			}
			if claimed != code {
				fail(http.StatusForbidden, protocol.ErrorBody{Code: protocol.CodeForbidden,
					Message: fmt.Sprintf("Le poste %s ne peut pas envoyer le journal du poste %s.", code, claimed)})
				return
			}
		case "entries":
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				malformed(err, 0)
				return
			}
			for dec.More() {
				var we protocol.Entry
				if err := dec.Decode(&we); err != nil {
					malformed(err, last+1)
					return
				}
				if n++; n > maxBatch {
					fail(http.StatusRequestEntityTooLarge, protocol.ErrorBody{Code: protocol.CodeTooLarge,
						Message: fmt.Sprintf("Lot trop grand : %d entrées au plus par envoi.", maxBatch)})
					return
				}
				if we.Counter != code {
					fail(http.StatusForbidden, protocol.ErrorBody{Code: protocol.CodeForbidden, Seq: we.Seq,
						Message: fmt.Sprintf("L'entrée n° %d appartient au poste %s : un poste ne peut envoyer que son propre journal.", we.Seq, we.Counter)})
					return
				}
				e, err := we.ToRegie()
				if err == nil && n > 1 && e.Seq != last+1 {
					err = errors.New("entries not consecutive")
				}
				if err != nil {
					fail(http.StatusBadRequest, protocol.ErrorBody{Code: protocol.CodeMalformed, Seq: we.Seq,
						Message: fmt.Sprintf("Entrée n° %d illisible ou hors d'ordre : %v.", we.Seq, err)})
					return
				}
				last = e.Seq
				if entries = append(entries, e); len(entries) == chunkSize {
					if !send(chunk{entries: entries}) {
						return
					}
					entries = nil
				}
			}
			if _, err := dec.Token(); err != nil {
				malformed(err, 0)
				return
			}
		default:
			var skip json.RawMessage // a field of a later version
			if err := dec.Decode(&skip); err != nil {
				malformed(err, 0)
				return
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		malformed(err, 0)
		return
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		malformed(errors.New("data after the JSON value"), 0)
		return
	}
	if claimed != code {
		fail(http.StatusForbidden, protocol.ErrorBody{Code: protocol.CodeForbidden,
			Message: fmt.Sprintf("Le poste %s ne peut pas envoyer le journal du poste « %s ».", code, claimed)})
		return
	}
	if len(entries) > 0 {
		send(chunk{entries: entries})
	}
}

// prepareChunks checks the hash chain and decodes the payments of each
// chunk (store.PrepareBatch) while the store writes the chunk before.
func prepareChunks(ctx context.Context, in <-chan chunk, out chan<- chunk) {
	defer close(out)
	for c := range in {
		if c.err == nil {
			c.batch = store.PrepareBatch(c.entries)
		}
		select {
		case out <- c:
		case <-ctx.Done():
			return
		}
	}
}
