package api_test

import (
	"testing"

	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/sync/protocol"
)

// TestJournalReadBack pages through a counter's own journal as the server
// holds it, and checks that a counter reads only its own and that bad
// parameters are refused.
func TestJournalReadBack(t *testing.T) {
	e := newEnv(t, api.Options{})
	mine, theirs := journal(t, "C01", 7), journal(t, "C02", 2)
	var ack protocol.PushResponse
	if st := e.do("POST", protocol.PathPush, e.creds["C01"], pushReq("C01", mine), &ack); st != 200 {
		t.Fatalf("push C01: %d", st)
	}
	if st := e.do("POST", protocol.PathPush, e.creds["C02"], pushReq("C02", theirs), &ack); st != 200 {
		t.Fatalf("push C02: %d", st)
	}
	var p protocol.JournalPage
	if st := e.do("GET", protocol.PathJournal+"?after=0&limit=3", e.creds["C01"], nil, &p); st != 200 {
		t.Fatalf("journal: %d", st)
	}
	if p.LastSeq != 7 || len(p.Entries) != 3 || p.Entries[0].Seq != 1 || p.Entries[2].Hash != mine[2].Hash || p.Entries[1].ID != mine[1].ID {
		t.Fatalf("first page %+v", p)
	}
	if st := e.do("GET", protocol.PathJournal+"?after=5", e.creds["C01"], nil, &p); st != 200 || len(p.Entries) != 2 || p.Entries[1].Seq != 7 {
		t.Fatalf("last page: %d %+v", st, p)
	}
	if st := e.do("GET", protocol.PathJournal+"?after=7", e.creds["C01"], nil, &p); st != 200 || len(p.Entries) != 0 || p.LastSeq != 7 {
		t.Fatalf("past the end: %d %+v", st, p)
	}
	if st := e.do("GET", protocol.PathJournal, e.creds["C02"], nil, &p); st != 200 || p.LastSeq != 2 || p.Entries[0].Hash != theirs[0].Hash {
		t.Fatalf("C02 reads: %d %+v", st, p)
	}
	var body protocol.ErrorBody
	if st := e.do("GET", protocol.PathJournal, "", nil, &body); st != 401 {
		t.Fatalf("no credential: %d", st)
	}
	for _, q := range []string{"?after=-1", "?after=x", "?limit=0", "?limit=x"} {
		if st := e.do("GET", protocol.PathJournal+q, e.creds["C01"], nil, &body); st != 400 || body.Code != protocol.CodeMalformed {
			t.Fatalf("%s: %d %+v", q, st, body)
		}
	}
}
