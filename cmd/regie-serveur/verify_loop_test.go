package main

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/store"
)

// TestVerifyRecordsForTheDashboard: the verify command and the server's
// periodic check both keep each counter's result, which the dashboard
// shows: the chain intact, then the anomaly once the file is edited.
func TestVerifyRecordsForTheDashboard(t *testing.T) {
	c, db := verifyFixture(t, 20_00, true)
	c.ok("verify")
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	last := func() (n int, problems int, broken sql.NullInt64) {
		t.Helper()
		if err := sqldb.QueryRow(`SELECT count(*) FROM chain_checks`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if err := sqldb.QueryRow(`SELECT problems, broken_seq FROM chain_checks ORDER BY id DESC LIMIT 1`).Scan(&problems, &broken); err != nil {
			t.Fatal(err)
		}
		return
	}
	if n, problems, broken := last(); n != 1 || problems != 0 || broken.Valid {
		t.Fatalf("after verify: %d checks, %d problems, broken %v", n, problems, broken)
	}
	for _, q := range []string{`DROP TRIGGER payments_no_update`, `UPDATE payments SET total = 2000000 WHERE id = 'P1'`} {
		if _, err := sqldb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		verifyLoop(ctx, st, 0, time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)))
		close(done)
	}()
	// The first check runs at once here (a minute after start in serve).
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if n, _, _ := last(); n == 2 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	cancel()
	<-done
	if n, problems, _ := last(); n != 2 || problems != 1 {
		t.Fatalf("after the periodic check: %d checks, %d problems", n, problems)
	}
}

func TestVerifyPeriod(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{{"", defaultVerifyEvery, true}, {"0", 0, true}, {"30m", 30 * time.Minute, true}, {" 2h ", 2 * time.Hour, true},
		{"10s", 0, false}, {"-1h", 0, false}, {"tous les jours", 0, false}} {
		got, err := verifyPeriod(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%q: %v %v", tc.in, got, err)
		}
	}
}

// TestServeRefusesABadVerifyPeriod: a period that is not one stops serve
// before it opens anything, with a French message.
func TestServeRefusesABadVerifyPeriod(t *testing.T) {
	c := &cli{t: t, env: map[string]string{"REGIE_DB": t.TempDir() + "/serveur.db", "REGIE_VERIFY_EVERY": "souvent"}}
	if code, _, stderr := c.run("serve", "--addr", "127.0.0.1:0"); code != 2 || !strings.Contains(stderr, "Période de vérification invalide") {
		t.Fatalf("%d %s", code, stderr)
	}
}
