package protocol

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/regie-fr/regie"
)

// Entry is one journal entry on the wire. At is written with
// regie.TimeFormat (not as a time value) so that the bytes the server hashes
// are those the counter hashed; Data is the recorded object's JSON, which the
// hash covers through its canonical form.
type Entry struct {
	Counter  string          `json:"counter"`
	Seq      int64           `json:"seq"`
	ID       string          `json:"id"`
	Kind     string          `json:"kind"`
	At       string          `json:"at"`
	Agent    string          `json:"agent"`
	Data     json.RawMessage `json:"data"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// EntryToWire writes a journal entry for the wire.
func EntryToWire(e *regie.Entry) Entry {
	return Entry{Counter: e.Counter, Seq: e.Seq, ID: e.ID, Kind: string(e.Kind),
		At: e.At.UTC().Format(regie.TimeFormat), Agent: e.Agent, Data: e.Data, PrevHash: e.PrevHash, Hash: e.Hash}
}

// EntriesToWire writes a run of entries for the wire.
func EntriesToWire(es []regie.Entry) []Entry {
	out := make([]Entry, len(es))
	for i := range es {
		out[i] = EntryToWire(&es[i])
	}
	return out
}

// ToRegie reads a wire entry back. The time must be in the journal's exact
// format: any other spelling of the same instant would hash differently
// from what the counter computed, so it is refused rather than repaired.
func (w *Entry) ToRegie() (regie.Entry, error) {
	at, err := time.Parse(regie.TimeFormat, w.At)
	if err != nil || at.Format(regie.TimeFormat) != w.At {
		return regie.Entry{}, fmt.Errorf("protocol: entry %d: time %q is not in the journal format %s", w.Seq, w.At, regie.TimeFormat)
	}
	if w.Seq < 1 {
		return regie.Entry{}, fmt.Errorf("protocol: entry sequence %d must be at least 1", w.Seq)
	}
	if w.ID == "" || w.Kind == "" {
		return regie.Entry{}, fmt.Errorf("protocol: entry %d: id and kind are required", w.Seq)
	}
	data := w.Data
	if len(data) == 0 {
		data = json.RawMessage("null")
	}
	return regie.Entry{Counter: w.Counter, Seq: w.Seq, ID: w.ID, Kind: regie.EntryKind(w.Kind), At: at.UTC(),
		Agent: w.Agent, Data: data, PrevHash: w.PrevHash, Hash: w.Hash}, nil
}

// EnrolRequest trades a one-time enrolment code for a credential.
type EnrolRequest struct {
	Code string `json:"code"`
}

// EnrolResponse gives the counter its credential, once, and tells it which
// counter of which régie it now is.
type EnrolResponse struct {
	Credential string  `json:"credential"`
	Counter    Counter `json:"counter"`
}

// PushRequest carries journal entries of one counter, in order, starting
// right after the last one the server acknowledged (or earlier: what the
// server already has is ignored).
type PushRequest struct {
	Counter string  `json:"counter"`
	Entries []Entry `json:"entries"`
}

// PushResponse says what the server now holds of the counter's journal:
// everything up to LastSeq, whose hash is LastHash. Stored counts what this
// request added, Ignored what the server already had.
type PushResponse struct {
	LastSeq  int64  `json:"last_seq"`
	LastHash string `json:"last_hash"`
	Stored   int    `json:"stored"`
	Ignored  int    `json:"ignored"`
}
