package api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

func TestCredentials(t *testing.T) {
	e := newEnv(t, api.Options{})
	es := journal(t, "C01", 2)
	for _, tc := range []struct{ name, cred string }{
		{"none", ""},
		{"unknown", "pas-un-identifiant"},
		{"another counter's hash", e.creds["C01"] + "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body protocol.ErrorBody
			if st := e.do("POST", protocol.PathPush, tc.cred, pushReq("C01", es), &body); st != 401 || body.Code != protocol.CodeUnauthorized || body.Message == "" {
				t.Fatalf("push: %d %+v, want 401", st, body)
			}
			if st := e.do("GET", protocol.PathPull, tc.cred, nil, &body); st != 401 {
				t.Fatalf("pull: %d, want 401", st)
			}
		})
	}
	t.Run("revoked", func(t *testing.T) {
		err := e.st.Update(context.Background(), func(tx *store.Tx) error { return tx.RevokeCounter("ENF", "C02", time.Now()) })
		if err != nil {
			t.Fatal(err)
		}
		var body protocol.ErrorBody
		if st := e.do("POST", protocol.PathPush, e.creds["C02"], pushReq("C02", journal(t, "C02", 1)), &body); st != 401 {
			t.Fatalf("revoked push: %d %+v", st, body)
		}
	})
	t.Run("enrolment code used twice or wrong", func(t *testing.T) {
		var body protocol.ErrorBody
		for _, code := range []string{"ABCD-EFGH-JKMN-PQRS", "", e.codes["C01"]} {
			if st := e.do("POST", protocol.PathEnrol, "", protocol.EnrolRequest{Code: code}, &body); st != 401 {
				t.Fatalf("enrol %q: %d", code, st)
			}
		}
	})
	if n := e.rows(); n != 0 {
		t.Fatalf("%d journal rows written by refused requests", n)
	}
	e.healthy()
}

func TestCounterCannotPushAnothersJournal(t *testing.T) {
	e := newEnv(t, api.Options{})
	theirs := journal(t, "C02", 2)
	var body protocol.ErrorBody
	// C01's credential, C02's journal, under C02's name and under its own.
	if st := e.do("POST", protocol.PathPush, e.creds["C01"], pushReq("C02", theirs), &body); st != 403 || body.Code != protocol.CodeForbidden {
		t.Fatalf("push as C02: %d %+v, want 403", st, body)
	}
	if st := e.do("POST", protocol.PathPush, e.creds["C01"], pushReq("C01", theirs), &body); st != 403 {
		t.Fatalf("push C02's entries as C01: %d %+v, want 403", st, body)
	}
	if n := e.rows(); n != 0 {
		t.Fatalf("%d rows written", n)
	}
}

func TestBrokenChainIsRefusedAtItsFirstBadEntry(t *testing.T) {
	e := newEnv(t, api.Options{})
	es := journal(t, "C01", 6)
	tampered := append([]byte(nil), es[3].Data...)
	es[3].Data = []byte(strings.Replace(string(tampered), `"success":true`, `"success":false`, 1))
	var body protocol.ErrorBody
	if st := e.do("POST", protocol.PathPush, e.creds["C01"], pushReq("C01", es), &body); st != 409 ||
		body.Code != protocol.CodeChainBroken || body.Seq != 4 || !strings.Contains(body.Message, "n° 4") {
		t.Fatalf("tampered entry: %d %+v, want 409 chain_broken at 4", st, body)
	}
	if n := e.rows(); n != 0 {
		t.Fatalf("%d rows written from a refused batch", n)
	}
	// A gap: 1–2 stored, then 4–5.
	good := journal(t, "C01", 5)
	var ok protocol.PushResponse
	if st := e.do("POST", protocol.PathPush, e.creds["C01"], pushReq("C01", good[:2]), &ok); st != 200 || ok.LastSeq != 2 {
		t.Fatalf("push 1-2: %d %+v", st, ok)
	}
	if st := e.do("POST", protocol.PathPush, e.creds["C01"], pushReq("C01", good[3:]), &body); st != 409 ||
		body.Code != protocol.CodeSequenceGap || body.Seq != 4 || body.LastSeq != 2 {
		t.Fatalf("gap: %d %+v, want 409 sequence_gap at 4, last 2", st, body)
	}
	// Another entry where the server has one: refused, named.
	other := journal(t, "C01", 3)
	other[1].ID = "autre"
	if st := e.do("POST", protocol.PathPush, e.creds["C01"], pushReq("C01", other[1:]), &body); st != 409 ||
		body.Code != protocol.CodeEntryConflict || body.Seq != 2 {
		t.Fatalf("conflict: %d %+v", st, body)
	}
	// A resend is harmless; the rest goes on from there.
	if st := e.do("POST", protocol.PathPush, e.creds["C01"], pushReq("C01", good), &ok); st != 200 ||
		ok.LastSeq != 5 || ok.Ignored != 2 || ok.Stored != 3 || ok.LastHash != good[4].Hash {
		t.Fatalf("resend: %d %+v", st, ok)
	}
	if n := e.rows(); n != 5 {
		t.Fatalf("%d rows, want 5", n)
	}
}

func TestMalformedAndOversizedBodies(t *testing.T) {
	e := newEnv(t, api.Options{MaxPushBytes: 1 << 20})
	cred := e.creds["C01"]
	valid := journal(t, "C01", 1)
	for _, tc := range []struct {
		name string
		body string
		want int
	}{
		{"not JSON", `{"counter": "C01", "entries": [`, 400},
		{"trailing data", `{"counter":"C01","entries":[]} {}`, 400},
		{"seq as a string", `{"counter":"C01","entries":[{"counter":"C01","seq":"1","id":"x","kind":"login","at":"2026-11-27T08:00:00.000Z"}]}`, 400},
		{"entries as an object", `{"counter":"C01","entries":{}}`, 400},
		{"time in another format", strings.Replace(mustJSON(t, pushReq("C01", valid)), ".000Z", "Z", 1), 400},
		{"empty body", ``, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body protocol.ErrorBody
			if st := e.do("POST", protocol.PathPush, cred, []byte(tc.body), &body); st != tc.want || body.Message == "" {
				t.Fatalf("%d %+v, want %d", st, body, tc.want)
			}
		})
	}
	t.Run("50 MB", func(t *testing.T) {
		// Streamed, without a length: the server must stop reading on its own.
		big := io.MultiReader(strings.NewReader(`{"counter":"C01","entries":[`),
			io.LimitReader(repeat(`{"counter":"C01","seq":1,"id":"x","kind":"login","at":"2026-11-27T08:00:00.000Z","data":null},`), 50<<20))
		req, _ := http.NewRequest("POST", e.srv.URL+protocol.PathPush, big)
		req.Header.Set("Authorization", "Bearer "+cred)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != 413 {
				t.Fatalf("50 MB streamed: %d, want 413", resp.StatusCode)
			}
		} // a connection cut by the server once it refused is fine too
		var body protocol.ErrorBody
		if st := e.do("POST", protocol.PathPush, cred, bytes.Repeat([]byte(" "), 50<<20), &body); st != 413 {
			t.Fatalf("50 MB with a length: %d, want 413", st)
		}
	})
	if n := e.rows(); n != 0 {
		t.Fatalf("%d rows written", n)
	}
	e.healthy()
	var ok protocol.PushResponse
	if st := e.do("POST", protocol.PathPush, cred, pushReq("C01", valid), &ok); st != 200 || ok.LastSeq != 1 {
		t.Fatalf("valid push after the bad ones: %d %+v", st, ok)
	}
}

func TestTooOld(t *testing.T) {
	e := newEnv(t, api.Options{MinVersion: 2})
	var body protocol.ErrorBody
	if st := e.do("POST", protocol.PathPush, e.creds["C01"], pushReq("C01", journal(t, "C01", 1)), &body); st != 410 ||
		body.Code != protocol.CodeTooOld || body.MinVersion != 2 {
		t.Fatalf("v1 on a v2 server: %d %+v", st, body)
	}
	if st := e.do("GET", "/api/sync/v0/pull", e.creds["C01"], nil, &body); st != 410 || body.Code != protocol.CodeTooOld {
		t.Fatalf("v0: %d %+v", st, body)
	}
	if st := e.do("GET", "/api/sync/v9/pull", e.creds["C01"], nil, &body); st != 404 {
		t.Fatalf("v9: %d %+v", st, body)
	}
}

func mustJSON(t *testing.T, v any) string {
	var b bytes.Buffer
	if err := jsonEncode(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// repeat is an endless reader of s.
func repeat(s string) io.Reader { return &repeater{s: s} }

type repeater struct {
	s string
	i int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.s[r.i:])
		n += c
		r.i = (r.i + c) % len(r.s)
	}
	return n, nil
}
