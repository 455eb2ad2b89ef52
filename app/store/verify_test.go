package store_test

import (
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/app/demo"
)

// dayFile makes a counter file with a day of activity: 6 payments, a
// cancellation, a deposit and a closing, then the next day opened with one
// more payment. It returns the file's path.
func dayFile(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "caisse.db")
	now := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { now = now.Add(time.Minute); return now }
	c, st := apptest.Counter(t, path, app.WithClock(clock), app.WithLocation(time.UTC))
	defer st.Close() // before the test copies the file: the WAL goes into it
	reg := apptest.Login(t, c, demo.RegisseurLogin, demo.RegisseurPIN)
	var err error
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.OpenSession(ctx, reg, nil, 150_00)
	must(err)
	var ids []string
	for i := 0; i < 6; i++ {
		inv := []string{"i-0001-1", "i-0002-1", "i-0003-2", "i-0004-3", "i-0005-1", "i-0006-2"}[i]
		h := inv[:6]
		p, err := c.RecordPayment(ctx, reg, app.PaymentRequest{HouseholdID: "h" + h[1:],
			Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 10_00}, {Mode: regie.Check, Amount: 5_00,
				CheckNumber: "12345" + string(rune('0'+i)), Bank: "La Banque Postale", Drawer: "M. Dupré"}},
			Allocations: []regie.Allocation{{InvoiceID: inv, Amount: 15_00}}})
		must(err)
		ids = append(ids, p.ID)
	}
	_, err = c.Cancel(ctx, reg, nil, ids[2], regie.CancelReasons[1], "")
	must(err)
	_, _, err = c.Reprint(ctx, reg, ids[1])
	must(err)
	_, err = c.Deposit(ctx, reg, app.DepositRequest{Cash: 40_00, Checks: []app.CheckRef{{PaymentID: ids[0], Tender: 1}}})
	must(err)
	_, err = c.Close(ctx, reg, app.ClosingRequest{Count: regie.CashCount{{Value: 100_00, Count: 1}, {Value: 50_00, Count: 1}, {Value: 10_00, Count: 1}}})
	must(err)
	now = now.Add(24 * time.Hour)
	_, err = c.OpenSession(ctx, reg, nil, 160_00)
	must(err)
	_, err = c.RecordPayment(ctx, reg, app.PaymentRequest{HouseholdID: "h-0001",
		Tenders:     []regie.Tender{{Mode: regie.Card, Amount: 12_00, Authorisation: "A12345", MaskedPAN: "497010******1234"}},
		Allocations: []regie.Allocation{{InvoiceID: "i-0001-3", Amount: 12_00}}})
	must(err)
	return path
}

// tamper opens the file as an attacker would: it drops the triggers, runs
// the statements and puts the triggers back as they were, so that only
// the statements' effect is left for verify to find.
func tamper(t testing.TB, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		t.Fatal(err)
	}
	var drop, create []string
	for rows.Next() {
		var n, q string
		rows.Scan(&n, &q)
		drop, create = append(drop, "DROP TRIGGER "+n), append(create, q)
	}
	rows.Close()
	all := append(append(drop, stmts...), create...)
	for _, q := range all {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func copyFile(t testing.TB, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copie.db")
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	return dst
}
