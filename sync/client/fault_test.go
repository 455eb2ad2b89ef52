package client_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/client"
)

// TestSyncThroughFaults pushes two counters' journals through a proxy that
// drops connections before and after the server commits, truncates
// answers, answers 500 and 503, holds answers past the client's timeout,
// and restarts the server in the middle of a push. Afterwards every payment
// is on the server exactly once, every remaining amount adds up and every
// chain verifies.
func TestSyncThroughFaults(t *testing.T) {
	srv := newServer(t, "C01", "C02")
	const timeout = 300 * time.Millisecond
	faults := []fault{dropRequest, dropResponse, status500, truncate, status503, slowResponse, restartServer,
		dropResponse, dropResponse, dropResponse, status503, restartServer, slowResponse, truncate, dropRequest}
	px := newProxy(t, srv, timeout+200*time.Millisecond, faults...)
	opt := client.Options{BatchSize: 4, PullLimit: 5, Timeout: timeout, MinBackoff: 5 * time.Millisecond,
		MaxBackoff: 40 * time.Millisecond, Interval: time.Hour}
	counters := []*counter{newCounterAt(t, srv, px.http.URL, "C01", opt), newCounterAt(t, srv, px.http.URL, "C02", opt)}

	// The first round may fail: the faults start at once. Retry until the
	// counters are configured, as the loop would.
	for _, k := range counters {
		until(t, func() bool { return k.sync.Sync(context.Background()) == nil })
	}
	want := map[string]regie.Money{}
	var payments []string
	for i := range 15 {
		for j, k := range counters {
			hh := fmt.Sprintf("h-%04d", 1+(i+j)%6)
			inv := fmt.Sprintf("i-%s-%d", hh[2:], 1+i%3)
			p := k.cash(hh, inv, regie.Money(100+j))
			want[inv] += p.Total
			payments = append(payments, p.ID)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	for _, k := range counters {
		go func() { k.sync.Run(ctx); done <- struct{}{} }()
		k.sync.SyncNow()
	}
	until(t, func() bool {
		for _, k := range counters {
			s := k.sync.State()
			if s.Pending != 0 || s.LastError != "" || s.Syncing {
				k.sync.SyncNow()
				return false
			}
		}
		return px.left() == 0
	})
	cancel()
	<-done
	<-done
	for _, k := range counters {
		if err := k.sync.Sync(context.Background()); err != nil {
			t.Fatalf("%s: last round: %v", k.code, err)
		}
	}

	srv.mu.Lock()
	st := srv.st
	srv.mu.Unlock()
	var n int
	if err := st.DB().QueryRow(`SELECT count(*) FROM payments`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(payments) {
		t.Fatalf("server holds %d payments, want %d", n, len(payments))
	}
	for _, id := range payments {
		var c int
		st.DB().QueryRow(`SELECT count(*) FROM payments WHERE id = ?`, id).Scan(&c)
		if c != 1 {
			t.Fatalf("payment %s is %d times on the server", id, c)
		}
	}
	for inv, paid := range want {
		var got regie.Money
		st.View(context.Background(), func(tx *store.Tx) error {
			s, err := tx.Invoice(inv)
			got = s.Paid
			return err
		})
		if got != paid {
			t.Errorf("invoice %s: server has %s paid, the counters cashed %s", inv, got, paid)
		}
	}
	srv.verifyAll()
	for _, k := range counters {
		p, _ := k.c.SyncPoint(context.Background())
		if p.Acked != p.Last {
			t.Errorf("%s: acknowledged %d of %d", k.code, p.Acked, p.Last)
		}
	}
	t.Logf("faults served: %v", px.seen)
}

// until polls cond for at most 20 s.
func until(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 20 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
