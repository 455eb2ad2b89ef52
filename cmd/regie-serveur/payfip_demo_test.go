package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/demoserver"
	"github.com/regie-fr/regie/server/payfip"
	"github.com/regie-fr/regie/server/payfip/payfipsim"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// The demo's online payment, through a simulator on its own port; and
// the settle chore, which records a payment whose notification was lost.
func TestDemoOnlinePaymentAndSettle(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "serveur.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := demoserver.Seed(ctx, st, 4); err != nil {
		t.Fatal(err)
	}
	st.Close()
	sim, simURL, stop, err := startPayFiPSim("127.0.0.1:0", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := demoOnlinePayment(ctx, db, "http://127.0.0.1:1", sim, simURL); err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if ids, err := st.InvoicePayments(ctx, payfipsim.DemoInvoice); err != nil || len(ids) != 1 {
		t.Fatalf("demo payments %v %v", ids, err)
	}

	// A second order, paid, its notification lost: the settle chore
	// records it once the order is old enough.
	svc := onlinePayments(st, &config{PayFiPURL: simURL}, "http://127.0.0.1:1", slog.New(slog.DiscardHandler))
	page, err := svc.Start(ctx, portal.OnlineRequest{HouseholdID: "h-0001", InvoiceID: "i-0001-3", Email: "helene@example.fr"})
	if err != nil {
		t.Fatal(err)
	}
	idOp := page[len(page)-36:]
	if _, err := sim.Pay(idOp, payfip.PaidDebit); err != nil {
		t.Fatal(err)
	}
	c := payfipChore(st, &config{PayFiPURL: simURL}, slog.New(slog.DiscardHandler))
	if n, err := c.run(ctx, time.Now()); err != nil || n != 0 {
		t.Fatalf("settle too early: %d %v", n, err)
	}
	if n, err := c.run(ctx, time.Now().Add(21*time.Minute)); err != nil || n != 1 {
		t.Fatalf("settle: %d %v", n, err)
	}
	if ids, err := st.InvoicePayments(ctx, "i-0001-3"); err != nil || len(ids) != 1 {
		t.Fatalf("settled payments %v %v", ids, err)
	}
}
