package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
	appstore "github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/client"
)

// enrolledFile makes a counter file enrolled on srv, with one payment the
// server has not received yet, and closes it.
func enrolledFile(t *testing.T, srv *httptest.Server, code string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "caisse.db")
	st, err := appstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := app.New(app.Adapt(st), app.WithLocation(time.UTC))
	sc := client.New(c, client.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if _, err := sc.Enrol(ctx, srv.URL, code); err != nil {
		t.Fatal(err)
	}
	if err := sc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := c.Login(ctx, demo.RegisseurLogin, demo.RegisseurPIN)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.OpenSession(ctx, a, nil, 150_00); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RecordPayment(ctx, a, app.PaymentRequest{HouseholdID: "h-0001",
		Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: 10_00}},
		Allocations: []regie.Allocation{{InvoiceID: "i-0001-1", Amount: 10_00}}}); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSyncCommand: one round and exit 0; 1 with the French reason when the
// server refuses (a revoked counter) or cannot be reached, or the file is
// not enrolled; 2 for a wrong command line or a missing file.
func TestSyncCommand(t *testing.T) {
	ctx := context.Background()
	sst, err := store.Open(ctx, filepath.Join(t.TempDir(), "serveur.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer sst.Close()
	servertest.Seed(t, sst)
	code := servertest.AddCounter(t, sst, "C01")
	srv := httptest.NewServer(api.New(sst, api.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	path := enrolledFile(t, srv, code)

	runSync := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		n := run(ctx, append([]string{"sync"}, args...), &out, &errb)
		return n, out.String(), errb.String()
	}
	n, out, errs := runSync("--db", path)
	if n != 0 || !strings.Contains(out, "Synchronisation faite") || !strings.Contains(out, "0 en attente") {
		t.Fatalf("sync: exit %d\n%s%s", n, out, errs)
	}
	var payments int
	sst.QueryRow(`SELECT count(*) FROM payments`).Scan(&payments)
	if payments != 1 {
		t.Fatalf("the server holds %d payments after sync, want 1", payments)
	}
	if n, out, _ := runSync("--db", path); n != 0 || !strings.Contains(out, "0 entrée(s) envoyée(s)") {
		t.Fatalf("second sync: exit %d\n%s", n, out)
	}

	if err := sst.Update(ctx, func(tx *store.Tx) error { return tx.RevokeCounter("ENF", "C01", time.Now()) }); err != nil {
		t.Fatal(err)
	}
	if n, _, errs := runSync("--db", path); n != 1 || !strings.Contains(errs, "Synchronisation impossible") || !strings.Contains(errs, "révoqué") {
		t.Fatalf("revoked: exit %d\n%s", n, errs)
	}
	srv.Close()
	if n, _, errs := runSync("--db", path); n != 1 || !strings.Contains(errs, "Serveur injoignable") {
		t.Fatalf("unreachable: exit %d\n%s", n, errs)
	}

	fresh := filepath.Join(t.TempDir(), "neuf.db")
	st, err := appstore.Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if n, _, errs := runSync("--db", fresh); n != 1 || !strings.Contains(errs, "non enrôlé") {
		t.Fatalf("not enrolled: exit %d\n%s", n, errs)
	}
	if n, _, errs := runSync("--db", filepath.Join(t.TempDir(), "absent.db")); n != 2 || !strings.Contains(errs, "Fichier introuvable") {
		t.Fatalf("missing file: exit %d\n%s", n, errs)
	}
	if n, _, errs := runSync(); n != 2 || !strings.Contains(errs, "Usage") {
		t.Fatalf("no --db: exit %d\n%s", n, errs)
	}
}
