package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/app/store"
)

// pastFile makes, once per machine (kept in the temporary folder), a
// counter file with n past payments: days of 1 000 card payments each
// opened and closed, and a last day still open with its 1 000 payments —
// the counter restarted in the middle of a busy day. The file has passed
// its start check once, as a counter's file has every morning.
func pastFile(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), "regie-bench", fmt.Sprintf("startcheck-%d.db", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	ctx := context.Background()
	os.MkdirAll(filepath.Dir(path), 0o755)
	tmp := path + ".tmp"
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + s)
	}
	st, err := store.Open(ctx, tmp)
	if err != nil {
		b.Fatal(err)
	}
	// Preparing the file only: a crash here costs a rerun, not a receipt.
	if _, err := st.DB().Exec(`PRAGMA synchronous = OFF`); err != nil {
		b.Fatal(err)
	}
	const perDay = 1000
	now := time.Date(2026, 1, 5, 8, 0, 0, 0, apptest.Paris)
	c := app.New(app.Adapt(st), app.WithLocation(apptest.Paris), app.WithClock(func() time.Time { now = now.Add(20 * time.Millisecond); return now }))
	if err := demo.Seed(ctx, c, demo.Options{PINCost: 4}); err != nil {
		b.Fatal(err)
	}
	a, err := c.Login(ctx, demo.RegisseurLogin, demo.RegisseurPIN)
	if err != nil {
		b.Fatal(err)
	}
	sale := app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Card, Amount: 4_20, Authorisation: "123456"}},
		Allocations: []regie.Allocation{{ItemCode: "PISC-ENT", Amount: 4_20}}}
	for done := 0; done < n; {
		if _, err := c.OpenSession(ctx, a, nil, 0); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < perDay && done < n; i, done = i+1, done+1 {
			if _, err := c.RecordPayment(ctx, a, sale); err != nil {
				b.Fatal(err)
			}
		}
		if done == n {
			break // the last day stays open
		}
		if _, err := c.Close(ctx, a, app.ClosingRequest{}); err != nil {
			b.Fatal(err)
		}
		now = time.Date(now.Year(), now.Month(), now.Day()+1, 8, 0, 0, 0, apptest.Paris)
	}
	if r, err := st.CheckAtStart(ctx, apptest.Paris); err != nil || !r.OK() {
		b.Fatalf("first start check: %v %v", err, r)
	}
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkStartCheck measures what the counter's start costs with its
// file check, beside its floor in the same run: opening the store alone.
// Each iteration opens a file holding 100 000 past payments, whose open
// day of 1 000 payments is rebuilt and compared, and records what it
// verified (one durable write). Closing, with its WAL checkpoint, is not
// timed: the counter closes its file when it stops, not when it starts.
func BenchmarkStartCheck(b *testing.B) {
	ctx := context.Background()
	src := pastFile(b, 100_000)
	data, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "caisse.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	b.Run("open (floor)", func(b *testing.B) {
		for b.Loop() {
			st, err := store.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer() // closing (and its checkpoint) is not part of a start
			st.Close()
			b.StartTimer()
		}
	})
	b.Run("check (store open)", func(b *testing.B) {
		st, err := store.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		for b.Loop() {
			if err := st.VerifyAtStart(ctx, apptest.Paris); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("open+check", func(b *testing.B) {
		for b.Loop() {
			st, err := store.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			if err := st.VerifyAtStart(ctx, apptest.Paris); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			st.Close()
			b.StartTimer()
		}
	})
}
