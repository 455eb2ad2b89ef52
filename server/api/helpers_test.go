package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
	"github.com/regie-fr/regie/sync/protocol"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// env is a server on httptest with two enrolled counters, C01 and C02.
type env struct {
	t     testing.TB
	st    *store.Store
	srv   *httptest.Server
	creds map[string]string
	codes map[string]string // enrolment codes, all used
}

func newEnv(t testing.TB, opt api.Options) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	opt.Logger = quiet
	e := &env{t: t, st: st, srv: httptest.NewServer(api.New(st, opt)), creds: map[string]string{}}
	t.Cleanup(func() { e.srv.Close(); st.Close() })
	r := regie.Regie{Code: "ENF", Name: "Régie Enfance", Modes: []regie.PaymentMode{regie.Cash, regie.Check},
		DepositPeriodDays: 7, CashLimit: 300_00}
	codes := map[string]string{}
	e.codes = codes
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveRegie(&r, true); err != nil {
			return err
		}
		for _, c := range []string{"C01", "C02"} {
			codes[c] = credential.NewEnrolCode()
			if _, err := tx.CreateCounter(regie.Counter{Code: c, Regie: "ENF", Name: c}, credential.HashEnrolCode(codes[c]),
				time.Now().Add(time.Hour), time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Enrolment through HTTP is tested elsewhere (TestEnrolIsRetryable);
	// here the credentials are random ones set in the store, so that a
	// server refusing v1 can still be set up.
	err = st.Update(ctx, func(tx *store.Tx) error {
		for c, code := range codes {
			e.creds[c] = credential.NewCredential()
			if k, err := tx.Enrol(credential.HashEnrolCode(code), credential.Hash(e.creds[c]), time.Now()); err != nil || k == nil {
				return fmt.Errorf("enrol %s: %v", c, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// do sends body (a value to encode, or raw []byte) with the credential and
// decodes the answer into out; it returns the status.
func (e *env) do(method, path, cred string, body, out any) int {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case io.Reader:
		rd = b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if cred != "" {
		req.Header.Set("Authorization", "Bearer "+cred)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			e.t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, raw, err)
		}
	}
	return resp.StatusCode
}

// journal makes n chained login entries of a counter, from seq 1.
func journal(t *testing.T, counter string, n int) []regie.Entry {
	t.Helper()
	var out []regie.Entry
	var prev *regie.Entry
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	for i := range n {
		id := fmt.Sprintf("%s-e%04d", counter, i+1)
		when := at.Add(time.Duration(i) * time.Second)
		e, err := regie.NewEntry(prev, counter, regie.KindLogin, id, "a-1", when,
			regie.Login{ID: id, Agent: "a-1", Success: true, At: when})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *e)
		prev = e
	}
	return out
}

func pushReq(counter string, es []regie.Entry) protocol.PushRequest {
	return protocol.PushRequest{Counter: counter, Entries: protocol.EntriesToWire(es)}
}

// rows counts what the server has written of the journals.
func (e *env) rows() int {
	e.t.Helper()
	var n int
	if err := e.st.QueryRow(`SELECT count(*) FROM journal`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// healthy checks that the server still serves.
func (e *env) healthy() {
	e.t.Helper()
	resp, err := http.Get(e.srv.URL + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		e.t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
}

func jsonEncode(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }
