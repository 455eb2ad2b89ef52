package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/client"
	"github.com/regie-fr/regie/sync/protocol"
)

// moveInvoice gives the invoice to another household on the server, as an
// import correcting the business software would: a payment a counter took
// for the first household before it pulled the change is refused by the
// server's rules (an invoice is settled by its own household).
func moveInvoice(t *testing.T, st *store.Store, id, household string) {
	t.Helper()
	err := st.Update(context.Background(), func(tx *store.Tx) error {
		inv, err := tx.Invoice(id)
		if err != nil {
			return err
		}
		moved := inv.Invoice
		moved.HouseholdID = household
		return tx.UpsertInvoice(inv.Regie, &moved)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRefusedBatchIsTypedAndShown: a 422 comes back as a RefusedError with
// the entry and the rule, the status bar says "Synchronisation refusée"
// with the server's French reason, and the entry stays pending.
func TestRefusedBatchIsTypedAndShown(t *testing.T) {
	srv := newServer(t, "C01")
	k := newCounter(t, srv, "C01", client.Options{})
	k.mustSync()
	moveInvoice(t, srv.st, "i-0001-1", "h-0002")
	k.cash("h-0001", "i-0001-1", 10_00)
	err := k.sync.Sync(context.Background())
	var re *client.RefusedError
	if !client.IsRefused(err) || !errors.As(err, &re) || re.Code != string(regie.EHouseholdMismatch) || re.Seq == 0 {
		t.Fatalf("want a RefusedError for household_mismatch, got %v", err)
	}
	s := k.sync.State()
	if !s.Online || s.Pending == 0 || !strings.HasPrefix(s.LastError, "Synchronisation refusée : ") ||
		!strings.Contains(s.LastError, "n'appartient pas au foyer") {
		t.Fatalf("state after the refusal: %+v", s)
	}
	if re.Message == "" || strings.Contains(s.LastError, "household_mismatch") {
		t.Errorf("the status bar shows codes, not the French reason: %q", s.LastError)
	}
}

// TestRefusedBatchIsNotResentInALoop: after a refusal, Run waits for its
// normal interval (an hour here), not for the back-off of a network
// failure (10 ms here): the refused batch is sent once.
func TestRefusedBatchIsNotResentInALoop(t *testing.T) {
	srv := newServer(t, "C01")
	var pushes atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == protocol.PathPush {
			pushes.Add(1)
		}
		srv.http.Config.Handler.ServeHTTP(w, r)
	}))
	defer proxy.Close()
	k := newCounterAt(t, srv, proxy.URL, "C01", client.Options{Interval: time.Hour, MinBackoff: 10 * time.Millisecond,
		MaxBackoff: 20 * time.Millisecond})
	k.mustSync()
	moveInvoice(t, srv.st, "i-0001-1", "h-0002")
	k.cash("h-0001", "i-0001-1", 10_00)
	before := pushes.Load()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	k.sync.Run(ctx)
	if n := pushes.Load() - before; n != 1 {
		t.Fatalf("%d pushes of the refused batch in 500 ms, want 1", n)
	}
	if s := k.sync.State(); s.Pending == 0 || !strings.Contains(s.LastError, "refusée") {
		t.Fatalf("state: %+v", s)
	}
}
