package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/app/store"
)

// benchCounter is a counter on a file in dir with a household owing two
// invoices for each of the n payments to come, the till open.
func benchCounter(b testing.TB, dir string, n int) (*app.Counter, *app.Auth, func()) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	c, st := apptest.Counter(b, filepath.Join(dir, "caisse.db"),
		app.WithClock(func() time.Time { now = now.Add(time.Millisecond); return now }), app.WithLocation(time.UTC))
	var ref app.Reference
	for i := 0; i < 2*n; i++ {
		ref.Invoices = append(ref.Invoices, regie.Invoice{ID: fmt.Sprintf("b-%d", i), Number: fmt.Sprintf("FAC-B-%07d", i),
			HouseholdID: "h-0001", Label: "Restauration scolaire", Amount: 40_00, Remaining: 40_00, DueOn: "2026-12-05"})
	}
	if err := c.LoadReference(ctx, ref); err != nil {
		b.Fatal(err)
	}
	a, err := c.Login(ctx, demo.RegisseurLogin, demo.RegisseurPIN)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.OpenSession(ctx, a, nil, 150_00); err != nil {
		b.Fatal(err)
	}
	return c, a, func() { st.Close() }
}

// twoByTwo is the benchmark's i-th payment: two invoices paid in full,
// cash and a cheque.
func twoByTwo(i int) app.PaymentRequest {
	return app.PaymentRequest{
		HouseholdID: "h-0001",
		Tenders: []regie.Tender{
			{Mode: regie.Cash, Amount: 20_00, Tendered: 50_00, Change: 30_00},
			{Mode: regie.Check, Amount: 60_00, CheckNumber: "0001234", Bank: "Crédit Agricole", Drawer: "Hélène Lefèvre"},
		},
		Allocations: []regie.Allocation{{InvoiceID: fmt.Sprintf("b-%d", 2*i), Amount: 40_00},
			{InvoiceID: fmt.Sprintf("b-%d", 2*i+1), Amount: 40_00}},
	}
}

// bareInserter is a one-row, one-transaction insert with the same pragmas
// as the store: what durability alone costs on this disk.
func bareInserter(b testing.TB, dir string) (func(i int), func()) {
	db, err := sql.Open("sqlite", store.DSN(filepath.Join(dir, "bare.db")))
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	return func(i int) {
		if _, err := db.Exec(`INSERT INTO t (v) VALUES (?)`, fmt.Sprint("row ", i)); err != nil {
			b.Fatal(err)
		}
	}, func() { db.Close() }
}

// BenchmarkRecordPayment records one durable payment (2 invoices, 2
// tenders) on a file database.
func BenchmarkRecordPayment(b *testing.B) {
	c, a, done := benchCounter(b, b.TempDir(), b.N)
	defer done()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.RecordPayment(ctx, a, twoByTwo(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareInsert is a single-row synchronous=FULL insert on the same
// disk, the floor a durable payment cannot go below.
func BenchmarkBareInsert(b *testing.B) {
	insert, done := bareInserter(b, b.TempDir())
	defer done()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		insert(i)
	}
}

// BenchmarkPaymentVsBareInsert alternates the two in one loop, so that a
// noisy shared machine weighs on both alike, and reports their ratio
// (target: at most 3).
func BenchmarkPaymentVsBareInsert(b *testing.B) {
	dir := b.TempDir()
	c, a, done := benchCounter(b, dir, b.N)
	defer done()
	insert, done2 := bareInserter(b, dir)
	defer done2()
	ctx := context.Background()
	var pay, bare time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := c.RecordPayment(ctx, a, twoByTwo(i)); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		insert(i)
		bare += time.Since(t1)
		pay += t1.Sub(t0)
	}
	b.ReportMetric(float64(pay.Nanoseconds())/float64(b.N), "payment-ns/op")
	b.ReportMetric(float64(bare.Nanoseconds())/float64(b.N), "insert-ns/op")
	b.ReportMetric(float64(pay)/float64(bare), "ratio")
}

// BenchmarkHoldingsWithManyCheques reads what the till holds (the status
// bar does after every payment) on a counter that took and deposited 20 000
// cheques over 20 days.
func BenchmarkHoldingsWithManyCheques(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	c, _ := apptest.Counter(b, "", app.WithClock(func() time.Time { now = now.Add(time.Millisecond); return now }), app.WithLocation(time.UTC))
	a := apptest.Login(b, c, demo.RegisseurLogin, demo.RegisseurPIN)
	for d := 0; d < 20; d++ {
		apptest.Open(b, c, a, 0)
		var refs []app.CheckRef
		for i := 0; i < 1000; i++ {
			p, err := c.RecordPayment(ctx, a, app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Check, Amount: 4_20, CheckNumber: fmt.Sprint(i), Bank: "B", Drawer: "D"}},
				Allocations: []regie.Allocation{{ItemCode: "PISC-ENT", Amount: 4_20}}})
			if err != nil {
				b.Fatal(err)
			}
			refs = append(refs, app.CheckRef{PaymentID: p.ID})
		}
		if _, err := c.Deposit(ctx, a, app.DepositRequest{Checks: refs}); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Close(ctx, a, app.ClosingRequest{}); err != nil {
			b.Fatal(err)
		}
		now = now.Add(24 * time.Hour)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Holdings(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
