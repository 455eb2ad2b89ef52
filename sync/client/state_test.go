package client_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/sync/client"
	"github.com/regie-fr/regie/sync/protocol"
)

// TestStateForTheStatusBar: what the status bar shows when the server is
// gone, when it no longer speaks this version, and when all is well.
func TestStateForTheStatusBar(t *testing.T) {
	ctx := context.Background()
	srv := newServer(t, "C01")
	k := newCounter(t, srv, "C01", client.Options{})
	if s := k.sync.State(); !s.Configured {
		t.Fatalf("after enrolment: %+v", s)
	}
	k.mustSync()
	k.cash("h-0001", "i-0001-1", 10_00)

	p, _ := k.c.SyncPoint(ctx)
	// The server is unreachable: the cashier goes on, the state says so.
	gone := httptest.NewServer(nil)
	gone.Close()
	if err := k.c.SaveEnrolment(ctx, gone.URL, p.Credential); err != nil {
		t.Fatal(err)
	}
	if err := k.sync.Sync(ctx); err == nil {
		t.Fatal("sync with no server succeeded")
	}
	s := k.sync.State()
	if s.Online || s.Pending == 0 || !strings.Contains(s.LastError, "injoignable") || s.LastSuccess.IsZero() {
		t.Fatalf("offline state: %+v", s)
	}
	// A server that moved past v1.
	newer := httptest.NewServer(api.New(srv.st, api.Options{MinVersion: 2, Logger: quiet}))
	defer newer.Close()
	k.c.SaveEnrolment(ctx, newer.URL, p.Credential)
	err := k.sync.Sync(ctx)
	if !protocol.IsTooOld(err) {
		t.Fatalf("want a TooOldError, got %v", err)
	}
	if s := k.sync.State(); !s.Online || !strings.Contains(s.LastError, "Mise à jour nécessaire") {
		t.Fatalf("too old state: %+v", s)
	}
	// Back to the right server: the payment goes, the error clears.
	k.c.SaveEnrolment(ctx, srv.http.URL, p.Credential)
	k.mustSync()
	if s := k.sync.State(); !s.Online || s.Pending != 0 || s.LastError != "" {
		t.Fatalf("state after recovery: %+v", s)
	}
	// A counter not enrolled yet.
	fresh := &counter{t: t, code: "C09", path: t.TempDir() + "/C09.db", clock: k.clock}
	fresh.open(client.Options{})
	if err := fresh.sync.Sync(ctx); err != client.ErrNotEnrolled {
		t.Fatalf("not enrolled: %v", err)
	}
	if s := fresh.sync.State(); s.Configured || !strings.Contains(s.LastError, "non enrôlé") {
		t.Fatalf("not enrolled state: %+v", s)
	}
	if _, err := fresh.sync.Enrol(ctx, srv.http.URL, "ABCD-EFGH-JKMN-PQRS"); err == nil || !strings.Contains(err.Error(), "Code d'enrôlement inconnu") {
		t.Fatalf("enrolment with a wrong code: %v", err)
	}
}
