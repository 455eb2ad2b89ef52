package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/client"
	"github.com/regie-fr/regie/sync/protocol"
)

// loser is a RoundTripper that performs a request on the server, reads the
// whole answer, then drops it for the first drops requests to path: the
// server did the work, the counter never hears of it.
type loser struct {
	path  string
	mu    sync.Mutex
	drops int
	sent  map[string]int // path → requests that reached the server
}

func (l *loser) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sent == nil {
		l.sent = map[string]int{}
	}
	l.sent[r.URL.Path]++
	if err != nil || r.URL.Path != l.path || l.drops == 0 {
		return resp, err
	}
	l.drops--
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return nil, errors.New("connexion coupée après la réponse du serveur (test)")
}

func (l *loser) count(path string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sent[path]
}

// TestEnrolmentWhoseAnswerIsLost: the server enrols the counter but the
// answer never arrives; the client retries the same code and gets the same
// credential, which works, and the server holds one credential for the
// counter. A later enrolment with a new code (a reinstalled machine) makes
// the old credential useless, and the old code dead.
func TestEnrolmentWhoseAnswerIsLost(t *testing.T) {
	srv := newServer(t, "C01")
	ctx := context.Background()
	lose := &loser{path: protocol.PathEnrol, drops: 1}
	k := &counter{t: t, code: "C01", path: t.TempDir() + "/C01.db", clock: &clock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, paris)}}
	k.open(client.Options{Transport: lose})
	if _, err := k.sync.Enrol(ctx, srv.http.URL, srv.codes["C01"]); err != nil {
		t.Fatalf("enrolment with a lost answer: %v", err)
	}
	if n := lose.count(protocol.PathEnrol); n != 2 {
		t.Fatalf("the server saw %d enrolments, want 2 (the lost one and its retry)", n)
	}
	k.mustSync()
	p := k.cash("h-0001", "i-0001-1", 12_00)
	k.mustSync()
	var n int
	srv.st.DB().QueryRow(`SELECT count(*) FROM payments WHERE id = ?`, p.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("the payment pushed with the retried credential is %d times on the server", n)
	}
	point, err := k.c.SyncPoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var hashes []string
	rows, err := srv.st.DB().Query(`SELECT credential_hash FROM counters WHERE code = 'C01' AND credential_hash IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var h string
		rows.Scan(&h)
		hashes = append(hashes, h)
	}
	rows.Close()
	if len(hashes) != 1 || hashes[0] != credential.Hash(point.Credential) {
		t.Fatalf("server credentials for C01: %v, want only the counter's", hashes)
	}

	// Reinstalled: a new code, a new counter file.
	code2 := credential.NewEnrolCode()
	if err := srv.st.Update(ctx, func(tx *store.Tx) error {
		return tx.NewEnrolCode("ENF", "C01", credential.HashEnrolCode(code2), time.Now().Add(time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := k.sync.Enrol(ctx, srv.http.URL, code2); err != nil {
		t.Fatalf("enrolment with the new code: %v", err)
	}
	k.mustSync()
	old := &counter{t: t, code: "C01", path: t.TempDir() + "/C01-old.db", clock: k.clock}
	old.open(client.Options{})
	if err := old.c.SaveEnrolment(ctx, srv.http.URL, point.Credential); err != nil {
		t.Fatal(err)
	}
	var pe *protocol.Error
	if err := old.sync.Sync(ctx); !errors.As(err, &pe) || pe.Status != http.StatusUnauthorized {
		t.Fatalf("the old credential after re-enrolment: %v, want 401", err)
	}
	again := &counter{t: t, code: "C01", path: t.TempDir() + "/C01-again.db", clock: k.clock}
	again.open(client.Options{})
	if _, err := again.sync.Enrol(ctx, srv.http.URL, srv.codes["C01"]); err == nil {
		t.Fatal("the first code enrolled again after a new one was issued")
	}
}

// TestEnrolmentRefusalIsNotRetried: a 4xx is the server's answer, sent once.
func TestEnrolmentRefusalIsNotRetried(t *testing.T) {
	srv := newServer(t)
	count := &loser{}
	k := &counter{t: t, code: "C09", path: t.TempDir() + "/C09.db", clock: &clock{t: time.Now()}}
	k.open(client.Options{Transport: count})
	_, err := k.sync.Enrol(context.Background(), srv.http.URL, "ABCD-EFGH-JKMN-PQRS")
	if err == nil || !strings.Contains(err.Error(), "Code d'enrôlement inconnu") {
		t.Fatalf("wrong code: %v", err)
	}
	if n := count.count(protocol.PathEnrol); n != 1 {
		t.Fatalf("a refused enrolment was sent %d times", n)
	}
}
