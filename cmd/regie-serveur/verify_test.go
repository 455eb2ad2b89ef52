package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// verifyFixture is a server file with the régie ENF, its counter C01, a
// household and an invoice, and C01's journal — a till opened and a cash
// payment whose total is total. With checked, both are stored by the
// server's push, which checks the rules; without, the till goes through the
// push and the payment is written straight into the journal table, as a
// server from before the rules (or an edit of the file) left it.
func verifyFixture(t *testing.T, total regie.Money, checked bool) (*cli, string) {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "serveur.db")
	pinFile := filepath.Join(dir, "pin")
	os.WriteFile(pinFile, []byte("1234\n"), 0o600)
	c := &cli{t: t, env: map[string]string{"REGIE_DB": db, "REGIE_AGENT_PIN_FILE": pinFile}}
	c.ok("regie", "create", "--code", "ENF", "--name", "Régie Enfance", "--modes", "cash,check", "--deposit-days", "7")
	c.ok("counter", "create", "--regie", "ENF", "--code", "C01", "--name", "Accueil")
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	s := &regie.TillSession{ID: "S1", Counter: "C01", Agent: "a", OpenedAt: at, Day: "2026-11-27", Float: 100_00}
	e1, _ := regie.NewEntry(nil, "C01", regie.KindSessionOpen, "S1", "a", at, s)
	at = at.Add(time.Minute)
	p := &regie.Payment{ID: "P1", Receipt: regie.ReceiptNumber("ENF", "C01", 2026, 1), Regie: "ENF", Counter: "C01", SessionID: "S1",
		Agent: "a", At: at, Day: "2026-11-27", HouseholdID: "H1", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 20_00, Tendered: 20_00}},
		Allocations: []regie.Allocation{{InvoiceID: "I1", InvoiceNumber: "FAC-1", Label: "Cantine", Amount: 20_00}}, Total: total}
	e2, err := regie.NewEntry(e1, "C01", regie.KindPayment, "P1", "a", at, p)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.UpsertHousehold(&regie.Household{ID: "H1", Account: "F1", Name: "Martin"}); err != nil {
			return err
		}
		if err := tx.UpsertInvoice("ENF", &regie.Invoice{ID: "I1", Number: "FAC-1", HouseholdID: "H1", Amount: 50_00}); err != nil {
			return err
		}
		k, err := tx.CounterByCode("ENF", "C01")
		if err != nil {
			return err
		}
		entries := []regie.Entry{*e1, *e2}
		if !checked {
			entries = entries[:1]
		}
		_, err = tx.PushChecked(k, store.Batches(store.PrepareBatch(entries)), store.PushOptions{Now: at.Add(time.Hour)})
		return err
	})
	if err == nil && !checked {
		_, err = st.Exec(`INSERT INTO journal (counter_id, seq, id, kind, at, agent, data, prev_hash, hash, received_at)
			SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM counters WHERE code = 'C01'`, e2.Seq, e2.ID, string(e2.Kind),
			e2.At.Format(regie.TimeFormat), e2.Agent, string(e2.Data), e2.PrevHash, e2.Hash, at.Add(time.Hour).Format(regie.TimeFormat))
	}
	if err != nil {
		t.Fatal(err)
	}
	return c, db
}

// TestVerifyAppliesTheRules: verify passes a sound file, and exits 1 naming
// the counter, the entry and the rule when a stored entry breaks a rule, or
// naming the table and the row when a row was edited behind the server's
// back while the journal stayed intact.
func TestVerifyAppliesTheRules(t *testing.T) {
	c, db := verifyFixture(t, 20_00, true)
	if out := c.ok("verify"); !strings.Contains(out, "ENF/C01 : 2 entrée(s), chaîne intacte") {
		t.Fatalf("verify of a sound file: %s", out)
	}
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER payments_no_update`, `UPDATE payments SET total = 2000000 WHERE id = 'P1'`,
		`UPDATE invoices SET paid = 0 WHERE id = 'I1'`} {
		if _, err := sqldb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	sqldb.Close()
	code, out, _ := c.run("verify")
	if code != 1 || !strings.Contains(out, "ENF/C01 : 2 entrée(s), chaîne intacte mais 1 anomalie(s)") ||
		!strings.Contains(out, "table payments, ligne P1") || !strings.Contains(out, "facture FAC-1 : 0,00\u00a0€ payés selon la table, 20,00\u00a0€ selon les journaux") {
		t.Fatalf("verify after editing rows: %d\n%s", code, out)
	}

	// A payment the push would refuse, written behind it: the journal
	// names the rule (the tables, which no push filled, differ too).
	c, _ = verifyFixture(t, 2_00, false)
	code, out, _ = c.run("verify")
	if code != 1 || !strings.Contains(out, "ENF/C01 : 2 entrée(s), chaîne intacte mais 1 anomalie(s)") ||
		!strings.Contains(out, "entrée n° 2 [tender_mismatch]") || !strings.Contains(out, "journal(aux) rompu(s) ou en anomalie") {
		t.Fatalf("verify of a stored rule violation: %d\n%s", code, out)
	}
}
