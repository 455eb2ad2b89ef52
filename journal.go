package regie

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// EntryKind says what a journal entry records.
type EntryKind string

// The kinds of journal entries. The spelling is part of the hashed bytes and
// never changes.
const (
	KindSettings     EntryKind = "settings"
	KindLogin        EntryKind = "login"
	KindSessionOpen  EntryKind = "session_opened"
	KindPayment      EntryKind = "payment"
	KindCancellation EntryKind = "cancellation"
	KindReprint      EntryKind = "reprint"
	KindClosing      EntryKind = "closing"
	KindDeposit      EntryKind = "deposit"
	// KindVerification (verification.go) is recorded by server counters
	// only.
)

// GenesisHash is the prev_hash of a counter's first entry: 32 zero bytes.
var GenesisHash = hex.EncodeToString(make([]byte, sha256.Size))

// TimeFormat is how the journal writes instants: RFC 3339 in UTC with
// milliseconds, so the same instant always gives the same bytes.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// JournalTime brings t to the journal's precision and zone. Every instant
// stored in an entry goes through it.
func JournalTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// Entry is one link of a counter's hash chain. Data is the canonical JSON of
// the recorded object (a Payment, a Closing…).
type Entry struct {
	Counter  string          `json:"counter"`
	Seq      int64           `json:"seq"`
	ID       string          `json:"id"`
	Kind     EntryKind       `json:"kind"`
	At       time.Time       `json:"at"`
	Agent    string          `json:"agent"`
	Data     json.RawMessage `json:"data"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// CanonicalBytes are the entry's bytes that its hash covers: the canonical
// JSON of the object {agent, at, counter, data, id, kind, seq}, where data
// is itself canonicalised (docs/journal.md).
func (e *Entry) CanonicalBytes() ([]byte, error) {
	data := []byte(e.Data)
	if len(data) == 0 {
		data = []byte("null")
	}
	data, err := CanonicalJSON(data)
	if err != nil {
		return nil, err
	}
	return e.envelope(data)
}

// envelope writes the hashed object around data, which must already be
// canonical; its keys are written in their sorted order.
func (e *Entry) envelope(data []byte) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(len(data) + 256)
	for _, f := range []struct{ key, val string }{
		{`{"agent":`, e.Agent}, {`,"at":`, e.At.UTC().Format(TimeFormat)}, {`,"counter":`, e.Counter},
	} {
		b.WriteString(f.key)
		if err := writeString(&b, f.val); err != nil {
			return nil, err
		}
	}
	b.WriteString(`,"data":`)
	b.Write(data)
	b.WriteString(`,"id":`)
	if err := writeString(&b, e.ID); err != nil {
		return nil, err
	}
	b.WriteString(`,"kind":`)
	if err := writeString(&b, string(e.Kind)); err != nil {
		return nil, err
	}
	b.WriteString(`,"seq":`)
	b.WriteString(strconv.FormatInt(e.Seq, 10))
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ComputeHash is SHA-256(prev_hash ‖ canonical bytes), prev_hash taken as its
// 32 raw bytes, in lowercase hex.
func (e *Entry) ComputeHash() (string, error) {
	body, err := e.CanonicalBytes()
	if err != nil {
		return "", fmt.Errorf("journal: entry %d: %w", e.Seq, err)
	}
	return e.hashOf(body)
}

func (e *Entry) hashOf(body []byte) (string, error) {
	prev, err := hex.DecodeString(e.PrevHash)
	if err != nil || len(prev) != sha256.Size {
		return "", fmt.Errorf("journal: entry %d: bad prev_hash %q", e.Seq, e.PrevHash)
	}
	h := sha256.New()
	h.Write(prev)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// NewEntry chains obj after prev (nil for the first entry): it encodes obj
// canonically, numbers the entry and computes its hash.
func NewEntry(prev *Entry, counter string, kind EntryKind, id, agent string, at time.Time, obj any) (*Entry, error) {
	data, err := Canonical(obj)
	if err != nil {
		return nil, err
	}
	e := &Entry{Counter: counter, Seq: 1, ID: id, Kind: kind, At: JournalTime(at), Agent: agent,
		Data: data, PrevHash: GenesisHash}
	if prev != nil {
		e.Seq, e.PrevHash = prev.Seq+1, prev.Hash
	}
	// data is canonical already: hash the envelope around it directly.
	body, err := e.envelope(data)
	if err != nil {
		return nil, err
	}
	if e.Hash, err = e.hashOf(body); err != nil {
		return nil, err
	}
	return e, nil
}

// ChainError says where a chain breaks, for the verify command and for the
// server refusing a batch.
type ChainError struct {
	Seq    int64
	ID     string
	Reason string // English, for logs
	Motif  string // French, for the people reading a verify report
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("journal broken at entry %d (%s): %s", e.Seq, e.ID, e.Reason)
}

// CheckLink verifies that e follows prev (nil: e must be the first entry) and
// that its hash is right.
func CheckLink(prev, e *Entry) error {
	wantSeq, wantPrev := int64(1), GenesisHash
	if prev != nil {
		wantSeq, wantPrev = prev.Seq+1, prev.Hash
	}
	if e.Seq != wantSeq {
		return &ChainError{Seq: e.Seq, ID: e.ID, Reason: fmt.Sprintf("sequence %d where %d was expected", e.Seq, wantSeq),
			Motif: fmt.Sprintf("numéro %d au lieu de %d : une entrée manque ou a été déplacée", e.Seq, wantSeq)}
	}
	if e.PrevHash != wantPrev {
		return &ChainError{Seq: e.Seq, ID: e.ID, Reason: "prev_hash does not match the previous entry's hash",
			Motif: "ne suit pas l'entrée précédente (empreinte précédente différente) : entrée insérée, supprimée ou déplacée"}
	}
	h, err := e.ComputeHash()
	if err != nil {
		return &ChainError{Seq: e.Seq, ID: e.ID, Reason: err.Error(), Motif: "contenu illisible"}
	}
	if h != e.Hash {
		return &ChainError{Seq: e.Seq, ID: e.ID, Reason: "hash does not match the entry's content",
			Motif: "son contenu ne correspond plus à son empreinte : entrée modifiée"}
	}
	return nil
}
