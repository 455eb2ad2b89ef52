package api_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/sync/protocol"
)

// doHead is do with the counter's journal head in its header ("" for none).
func (e *env) doHead(method, path, cred, head string, body []byte) (int, protocol.ErrorBody) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+cred)
	if head != "" {
		req.Header.Set(protocol.HeaderJournalHead, head)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var eb protocol.ErrorBody
	if resp.StatusCode >= 400 {
		json.NewDecoder(resp.Body).Decode(&eb)
	}
	return resp.StatusCode, eb
}

// reported is what the server recorded of C01's visits: its head (NULL
// when never said) and whether it was seen at all.
func (e *env) reported(counter string) (head sql.NullInt64, seen bool) {
	e.t.Helper()
	err := e.st.QueryRow(`SELECT reported_head FROM counter_sync s JOIN counters c ON c.id = s.counter_id
		WHERE c.code = ?`, counter).Scan(&head)
	if err == sql.ErrNoRows {
		return head, false
	} else if err != nil {
		e.t.Fatal(err)
	}
	return head, true
}

type refusalRow struct {
	status  int
	seq     int64
	code    string
	message string
}

func (e *env) refusals() []refusalRow {
	e.t.Helper()
	rows, err := e.st.Query(`SELECT status, seq, code, message FROM sync_refusals ORDER BY id`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []refusalRow
	for rows.Next() {
		var r refusalRow
		if err := rows.Scan(&r.status, &r.seq, &r.code, &r.message); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// TestRefusedPushesAreRecorded: every push the server refuses — a broken
// chain, a body it cannot read, one too large, a bad head header — is
// recorded with the status, the entry, the code and the French message
// the counter got, and nothing of the refused batch is stored.
func TestRefusedPushesAreRecorded(t *testing.T) {
	e := newEnv(t, api.Options{MaxPushBytes: 64 << 10})
	cred := e.creds["C01"]
	good := journal(t, "C01", 3)
	broken := journal(t, "C01", 3)
	broken[1].Hash = broken[0].Hash
	for _, tc := range []struct {
		name, head string
		body       []byte
		status     int
		code       string
		seq        int64
	}{
		{"broken chain", "3", []byte(mustJSON(t, pushReq("C01", broken))), 409, protocol.CodeChainBroken, 2},
		{"not JSON", "3", []byte(`{"counter":`), 400, protocol.CodeMalformed, 0},
		{"too large", "", bytes.Repeat([]byte(" "), 65<<10), 413, protocol.CodeTooLarge, 0},
		{"head not a seq", "-4", []byte(mustJSON(t, pushReq("C01", good))), 400, protocol.CodeMalformed, 0},
	} {
		before := len(e.refusals())
		status, body := e.doHead("POST", protocol.PathPush, cred, tc.head, tc.body)
		if status != tc.status || body.Code != tc.code {
			t.Fatalf("%s: %d %+v", tc.name, status, body)
		}
		rs := e.refusals()
		if len(rs) != before+1 {
			t.Fatalf("%s: %d refusals recorded", tc.name, len(rs)-before)
		}
		if r := rs[len(rs)-1]; r.status != tc.status || r.code != tc.code || r.seq != tc.seq || r.message != body.Message || r.message == "" {
			t.Errorf("%s: recorded %+v, answered %+v", tc.name, r, body)
		}
	}
	if n := e.rows(); n != 0 {
		t.Fatalf("refused pushes stored %d entries", n)
	}
	// The broken chain's push said head 3: recorded with its refusal.
	if head, _ := e.reported("C01"); !head.Valid || head.Int64 != 3 {
		t.Errorf("head after the refusals: %+v", head)
	}
	if status, _ := e.doHead("POST", protocol.PathPush, cred, "5", []byte(mustJSON(t, pushReq("C01", good)))); status != 200 {
		t.Fatalf("good push: %d", status)
	}
	if head, _ := e.reported("C01"); !head.Valid || head.Int64 != 5 {
		t.Errorf("head after the push: %+v", head)
	}
	if n := len(e.refusals()); n != 4 {
		t.Errorf("an accepted push recorded a refusal: %d", n)
	}
}

// TestCounterHeadOnPull: a pull records the head the counter reports; one
// without the header (an older program) records the visit and leaves the
// head unknown; a header that is not a seq is refused and records nothing.
func TestCounterHeadOnPull(t *testing.T) {
	e := newEnv(t, api.Options{})
	if status, _ := e.doHead("GET", protocol.PathPull+"?cursor=", e.creds["C02"], "", nil); status != 200 {
		t.Fatalf("pull without head: %d", status)
	}
	if head, seen := e.reported("C02"); !seen || head.Valid {
		t.Errorf("old client: seen %v head %+v", seen, head)
	}
	if status, body := e.doHead("GET", protocol.PathPull+"?cursor=", e.creds["C01"], "abc", nil); status != 400 || body.Code != protocol.CodeMalformed {
		t.Fatalf("bad head: %d %+v", status, body)
	}
	if _, seen := e.reported("C01"); seen {
		t.Error("a refused pull recorded a visit")
	}
	if status, _ := e.doHead("GET", protocol.PathPull+"?cursor=", e.creds["C01"], "42", nil); status != 200 {
		t.Fatalf("pull with head: %d", status)
	}
	if head, _ := e.reported("C01"); !head.Valid || head.Int64 != 42 {
		t.Errorf("head: %+v", head)
	}
	// Within the minute, a new head is still written at once.
	e.doHead("GET", protocol.PathPull+"?cursor=", e.creds["C01"], "43", nil)
	if head, _ := e.reported("C01"); head.Int64 != 43 {
		t.Errorf("head moved: %+v", head)
	}
}
