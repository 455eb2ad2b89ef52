package regie

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
	"time"
)

// go test -run TestJournalVectors -update-vectors . rewrites the vectors file
// from vectorSpecs. Do it only when the specification itself changes: the
// bytes and hashes are a promise to the server and to auditors.
var updateVectors = flag.Bool("update-vectors", false, "rewrite testdata/journal_vectors.json")

const vectorsFile = "testdata/journal_vectors.json"

// vectorFile is the layout of testdata/journal_vectors.json.
type vectorFile struct {
	Comment     string         `json:"comment"`
	GenesisHash string         `json:"genesis_prev_hash"`
	Entries     []vectorRecord `json:"entries"`
}

type vectorRecord struct {
	Counter   string          `json:"counter"`
	Seq       int64           `json:"seq"`
	ID        string          `json:"id"`
	Kind      EntryKind       `json:"kind"`
	At        string          `json:"at"`
	Agent     string          `json:"agent"`
	Data      json.RawMessage `json:"data"`
	PrevHash  string          `json:"prev_hash"`
	Canonical string          `json:"canonical"`
	Hash      string          `json:"hash"`
}

func (v *vectorRecord) entry(t *testing.T) *Entry {
	t.Helper()
	at, err := time.Parse(TimeFormat, v.At)
	if err != nil {
		t.Fatalf("entry %d: at %q: %v", v.Seq, v.At, err)
	}
	return &Entry{Counter: v.Counter, Seq: v.Seq, ID: v.ID, Kind: v.Kind, At: at, Agent: v.Agent,
		Data: v.Data, PrevHash: v.PrevHash, Hash: v.Hash}
}

func loadVectors(t *testing.T) vectorFile {
	t.Helper()
	raw, err := os.ReadFile(vectorsFile)
	if err != nil {
		t.Fatal(err)
	}
	var f vectorFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) < 4 || f.GenesisHash != GenesisHash {
		t.Fatalf("vectors file: %d entries, genesis %q", len(f.Entries), f.GenesisHash)
	}
	return f
}

// vectorChain builds the vectors' chain from the domain objects with
// NewEntry, as the counter does.
func vectorChain(t *testing.T) []*Entry {
	t.Helper()
	var out []*Entry
	var prev *Entry
	for _, s := range vectorSpecs() {
		e, err := NewEntry(prev, "C01", s.kind, s.id, s.agent, s.at, s.obj)
		if err != nil {
			t.Fatalf("%s: %v", s.kind, err)
		}
		out = append(out, e)
		prev = e
	}
	return out
}

func TestJournalVectors(t *testing.T) {
	if *updateVectors {
		writeVectors(t, vectorChain(t))
	}
	f := loadVectors(t)
	built := vectorChain(t)
	if len(built) != len(f.Entries) {
		t.Fatalf("file has %d entries, the specs %d", len(f.Entries), len(built))
	}
	var prev *Entry
	for i, v := range f.Entries {
		t.Run(string(v.Kind), func(t *testing.T) {
			e := v.entry(t)
			if got := e.At.Format(TimeFormat); got != v.At {
				t.Errorf("at re-formats as %q, file says %q", got, v.At)
			}
			body, err := e.CanonicalBytes()
			if err != nil || string(body) != v.Canonical {
				t.Errorf("CanonicalBytes = %s, %v\nwant %s", body, err, v.Canonical)
			}
			if h, err := e.ComputeHash(); err != nil || h != v.Hash {
				t.Errorf("ComputeHash = %s, %v; want %s", h, err, v.Hash)
			}
			if err := CheckLink(prev, e); err != nil {
				t.Errorf("CheckLink: %v", err)
			}
			// NewEntry from the Go objects gives the very same entry.
			b := built[i]
			bb, _ := b.CanonicalBytes()
			if b.Seq != v.Seq || b.PrevHash != v.PrevHash || b.Hash != v.Hash || string(bb) != v.Canonical {
				t.Errorf("NewEntry gives seq %d prev %s hash %s\n%s", b.Seq, b.PrevHash, b.Hash, bb)
			}
			// The data in the file is the canonical form of the object.
			if c, err := CanonicalJSON(v.Data); err != nil || !bytes.Equal(c, b.Data) {
				t.Errorf("data = %s, %v; NewEntry data %s", c, err, b.Data)
			}
			prev = e
		})
	}
}

func writeVectors(t *testing.T, chain []*Entry) {
	t.Helper()
	f := vectorFile{
		Comment: "Fixed test vectors of the Régie journal chain; see docs/journal.md. " +
			"canonical is the exact UTF-8 text hashed; hash = SHA-256(prev_hash bytes || canonical).",
		GenesisHash: GenesisHash,
	}
	for _, e := range chain {
		body, err := e.CanonicalBytes()
		if err != nil {
			t.Fatal(err)
		}
		f.Entries = append(f.Entries, vectorRecord{Counter: e.Counter, Seq: e.Seq, ID: e.ID, Kind: e.Kind,
			At: e.At.Format(TimeFormat), Agent: e.Agent, Data: e.Data, PrevHash: e.PrevHash,
			Canonical: string(body), Hash: e.Hash})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(vectorsFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// verifyChain checks a whole chain as the verify command does.
func verifyChain(es []*Entry) error {
	var prev *Entry
	for _, e := range es {
		if err := CheckLink(prev, e); err != nil {
			return err
		}
		prev = e
	}
	return nil
}

func TestCheckLinkRefusals(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func(es []*Entry) []*Entry
		wantSeq int64
	}{
		{"changed amount", func(es []*Entry) []*Entry {
			es[2].Data = json.RawMessage(strings.Replace(string(es[2].Data), `"amount":4550`, `"amount":4551`, 1))
			return es
		}, 3},
		{"changed amount, hash recomputed", func(es []*Entry) []*Entry {
			es[2].Data = json.RawMessage(strings.Replace(string(es[2].Data), `"amount":4550`, `"amount":4551`, 1))
			es[2].Hash, _ = es[2].ComputeHash()
			return es
		}, 4},
		{"changed agent", func(es []*Entry) []*Entry { es[3].Agent = "0195a3c0-0a00-7000-8000-00000000a001"; return es }, 4},
		{"changed time", func(es []*Entry) []*Entry { es[1].At = es[1].At.Add(time.Millisecond); return es }, 2},
		{"changed kind", func(es []*Entry) []*Entry { es[3].Kind = KindReprint; return es }, 4},
		{"changed hash", func(es []*Entry) []*Entry { es[1].Hash = strings.Repeat("a", 64); return es }, 2},
		{"changed prev_hash", func(es []*Entry) []*Entry { es[2].PrevHash = es[0].Hash; return es }, 3},
		{"prev_hash not hex", func(es []*Entry) []*Entry { es[0].PrevHash = "zz" + GenesisHash[2:]; return es }, 1},
		{"gap in seq", func(es []*Entry) []*Entry { return append(es[:1], es[2:]...) }, 3},
		{"two entries swapped", func(es []*Entry) []*Entry { es[1], es[2] = es[2], es[1]; return es }, 3},
		{"wrong genesis", func(es []*Entry) []*Entry { es[0].PrevHash = strings.Repeat("f", 64); return es }, 1},
		{"first entry missing", func(es []*Entry) []*Entry { return es[1:] }, 2},
		{"seq renumbered", func(es []*Entry) []*Entry { es[3].Seq = 5; return es }, 5},
	}
	if err := verifyChain(vectorChain(t)); err != nil {
		t.Fatalf("untouched chain refused: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verifyChain(tt.tamper(vectorChain(t)))
			var ce *ChainError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a *ChainError", err)
			}
			if ce.Seq != tt.wantSeq || ce.ID == "" || !strings.Contains(ce.Error(), ce.Reason) {
				t.Errorf("broken at %d (%s: %s), want %d", ce.Seq, ce.ID, ce.Reason, tt.wantSeq)
			}
		})
	}
}

func TestEntryEncodingDetails(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	at := time.Date(2025, 3, 14, 10, 41, 27, 120_999_999, paris)
	e, err := NewEntry(nil, "C01", KindLogin, "id-1", "agent-1", at, map[string]any{"ok": true})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := e.CanonicalBytes()
	want := `{"agent":"agent-1","at":"2025-03-14T09:41:27.120Z","counter":"C01","data":{"ok":true},"id":"id-1","kind":"login","seq":1}`
	if string(body) != want || e.PrevHash != GenesisHash || len(GenesisHash) != 64 {
		t.Errorf("got %s prev %s\nwant %s", body, e.PrevHash, want)
	}
	e.Data = nil // no data is hashed as null
	if body, _ := e.CanonicalBytes(); !strings.Contains(string(body), `"data":null`) {
		t.Errorf("empty data: %s", body)
	}
	e.Data = json.RawMessage(`{"x":1.5}`)
	if _, err := e.ComputeHash(); err == nil {
		t.Error("a float in data was hashed")
	}
	for _, bad := range []string{"", "00", GenesisHash + "00", strings.ToUpper(GenesisHash)[:63] + "g"} {
		e.PrevHash = bad
		if _, err := e.ComputeHash(); err == nil {
			t.Errorf("prev_hash %q accepted", bad)
		}
	}
}
