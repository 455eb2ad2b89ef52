package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/store"
)

// forge appends obj to the file as a forger who knows the hash would: a
// well-chained entry, with its rows written by the counter's own Append
// when the schema lets it, else the journal row alone.
func forge(t *testing.T, path string, kind regie.EntryKind, id, agent string, at time.Time, obj any) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var e *regie.Entry
	err = st.Update(ctx, func(tx *store.Tx) error {
		prev, err := tx.LastEntry()
		if err != nil {
			return err
		}
		if e, err = regie.NewEntry(prev, prev.Counter, kind, id, agent, at, obj); err != nil {
			return err
		}
		return tx.Append(e, obj)
	})
	st.Close()
	if err == nil {
		return
	}
	tamper(t, path, fmt.Sprintf(`INSERT INTO journal (seq, id, counter, kind, at, agent, data, prev_hash, hash)
		VALUES (%d, '%s', '%s', '%s', '%s', '%s', '%s', '%s', '%s')`, e.Seq, e.ID, e.Counter, e.Kind,
		e.At.Format(regie.TimeFormat), e.Agent, strings.ReplaceAll(string(e.Data), "'", "''"), e.PrevHash, e.Hash))
}

// rawExec runs statements on the file, triggers left as they are.
func rawExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// lastPayment reads the file's newest payment and its entry.
func lastPayment(t *testing.T, path string) (*regie.Payment, *regie.Entry) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var p *regie.Payment
	var e *regie.Entry
	var id string
	if err := st.DB().QueryRow(`SELECT id FROM payments ORDER BY seq DESC LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	err = st.View(ctx, func(tx *store.Tx) (err error) {
		if p, err = tx.Payment(id); err != nil {
			return err
		}
		e, err = tx.Entry(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return p, e
}

// forgeDeposit deposits tender idx of the day file's cancelled payment
// (receipt 3: cash 10,00 € then a cheque of 5,00 €) on the open day.
func forgeDeposit(t *testing.T, path string, idx int, amount regie.Money) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var pid string
	err = db.QueryRow(`SELECT id FROM payments WHERE receipt = 'R-ENF-C01-2026-000003'`).Scan(&pid)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	p, e := lastPayment(t, path)
	d := &regie.Deposit{ID: "forged", Counter: e.Counter, Agent: e.Agent, At: e.At.Add(time.Minute), Day: p.Day,
		Checks: []regie.CheckLine{{PaymentID: pid, Tender: idx, Receipt: "R-ENF-C01-2026-000003", Amount: amount}}, Total: amount}
	forge(t, path, regie.KindDeposit, d.ID, d.Agent, d.At, d)
}

func mustFind(t *testing.T, r *store.Report, motif string) {
	t.Helper()
	if r.OK() {
		t.Fatalf("verify found nothing, want %q", motif)
	}
	if !slices.ContainsFunc(r.Problems, func(p store.Problem) bool { return strings.Contains(p.String(), motif) }) {
		t.Fatalf("no problem says %q: %v", motif, r.Problems)
	}
}

func verifyFile(t *testing.T, path string, opt ...store.Options) *store.Report {
	t.Helper()
	r, err := store.Verify(context.Background(), path, opt...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestVerifyRulesOfMeaning forges well-chained entries that break a rule
// the rebuild cannot see, and tampers with what surrounds the journal.
func TestVerifyRulesOfMeaning(t *testing.T) {
	orig := dayFile(t)
	cases := []struct {
		name  string
		do    func(t *testing.T, path string)
		motif string
	}{
		{"payment cancelled twice", func(t *testing.T, path string) {
			p, e := lastPayment(t, path)
			for i := 0; i < 2; i++ {
				c := &regie.Cancellation{ID: fmt.Sprintf("forged-%d", i), PaymentID: p.ID, Receipt: p.Receipt,
					Reason: regie.CancelReasons[0], Agent: e.Agent, ApprovedBy: e.Agent, At: e.At.Add(time.Duration(i+1) * time.Minute),
					Day: p.Day, Refunds: p.Tenders}
				forge(t, path, regie.KindCancellation, c.ID, c.Agent, c.At, c)
			}
		}, "déjà annulé par l'entrée"},
		{"refund above what was paid", func(t *testing.T, path string) {
			p, e := lastPayment(t, path)
			c := &regie.Cancellation{ID: "forged", PaymentID: p.ID, Receipt: p.Receipt, Reason: regie.CancelReasons[0],
				Agent: e.Agent, ApprovedBy: e.Agent, At: e.At.Add(time.Minute), Day: p.Day,
				Refunds: []regie.Tender{{Mode: regie.Card, Amount: p.Total * 5}}}
			forge(t, path, regie.KindCancellation, c.ID, c.Agent, c.At, c)
		}, "rembourse"},
		{"cheque of a cancelled payment deposited", func(t *testing.T, path string) {
			forgeDeposit(t, path, 1, 5_00)
		}, "annulé par l'entrée"},
		{"cash deposited as a cheque", func(t *testing.T, path string) {
			forgeDeposit(t, path, 0, 10_00)
		}, "qui n'est pas un chèque"},
		{"data of another agent than the entry", func(t *testing.T, path string) {
			p, e := lastPayment(t, path)
			r := &regie.Reprint{ID: "forged", PaymentID: p.ID, Receipt: p.Receipt, Agent: e.Agent, At: e.At.Add(time.Minute)}
			forge(t, path, regie.KindReprint, r.ID, "quelqu'un d'autre", r.At, r)
		}, "de l'agent"},
		{"day not the régie's day of the instant", func(t *testing.T, path string) {
			_, e := lastPayment(t, path)
			s := &regie.TillSession{ID: "forged", Counter: e.Counter, Agent: e.Agent, OpenedAt: e.At.Add(time.Minute),
				Day: "2026-12-25", Float: 100_00}
			forge(t, path, regie.KindSessionOpen, s.ID, s.Agent, s.OpenedAt, s)
		}, "pour la journée du 2026-12-25"},
		{"agent made régisseur", func(t *testing.T, path string) {
			tamper(t, path, `UPDATE agents SET role = 'regisseur'`)
		}, "table agents : l'agent"},
		{"cash limit raised", func(t *testing.T, path string) {
			tamper(t, path, `UPDATE settings SET data = replace(data, '"cash_limit":30000', '"cash_limit":3000000')`)
		}, "table settings"},
		{"identity of another counter", func(t *testing.T, path string) {
			tamper(t, path, `UPDATE identity SET counter = 'C99'`)
		}, "pas pour ce poste"},
		{"append-only trigger dropped", func(t *testing.T, path string) {
			rawExec(t, path, `DROP TRIGGER payments_no_update`)
		}, "le déclencheur payments_no_update manque"},
		{"trigger altered", func(t *testing.T, path string) {
			rawExec(t, path, `DROP TRIGGER closings_no_delete`,
				`CREATE TRIGGER closings_no_delete BEFORE DELETE ON closings WHEN 0 BEGIN SELECT RAISE(ABORT, 'closings is append-only'); END`)
		}, "le déclencheur closings_no_delete a été modifié"},
		{"index added", func(t *testing.T, path string) {
			tamper(t, path, `CREATE INDEX sneaky ON payments(total)`)
		}, "l'index sneaky n'existe pas dans le schéma livré"},
		{"whole journal deleted", func(t *testing.T, path string) {
			var stmts []string
			for _, table := range []string{"checks_held", "deposit_checks", "deposits", "closings", "logins", "reprints",
				"cancellations", "allocations", "tenders", "payments", "sessions", "journal"} {
				stmts = append(stmts, "DELETE FROM "+table)
			}
			tamper(t, path, stmts...)
		}, "le journal a été supprimé"},
		{"cut short after the server acknowledged", func(t *testing.T, path string) {
			p, e := lastPayment(t, path)
			tamper(t, path, fmt.Sprintf(`UPDATE sync_state SET acked_seq = %d`, e.Seq),
				fmt.Sprintf(`DELETE FROM checks_held WHERE payment_id = '%s'`, p.ID),
				fmt.Sprintf(`DELETE FROM tenders WHERE payment_id = '%s'`, p.ID),
				fmt.Sprintf(`DELETE FROM allocations WHERE payment_id = '%s'`, p.ID),
				fmt.Sprintf(`DELETE FROM payments WHERE id = '%s'`, p.ID),
				fmt.Sprintf(`DELETE FROM journal WHERE seq >= %d`, e.Seq))
		}, "fichier tronqué : le serveur a accusé réception"},
		{"invoices pulled as of a later entry", func(t *testing.T, path string) {
			tamper(t, path, `UPDATE invoices SET as_of_seq = 1000 WHERE rowid = (SELECT min(rowid) FROM invoices)`)
		}, "fichier tronqué : les restes à payer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := copyFile(t, orig)
			tc.do(t, path)
			mustFind(t, verifyFile(t, path), tc.motif)
		})
	}
}

// TestVerifyAnchors checks the Z report's and the receipt's anchors
// against the chain, before and after the chain is rewritten.
func TestVerifyAnchors(t *testing.T) {
	path := dayFile(t)
	p, e := lastPayment(t, path)
	good := store.Options{
		Expect:   []store.Anchor{{Seq: e.Seq, Hash: e.Hash}},
		Receipts: []store.ReceiptAnchor{{Receipt: p.Receipt, Fingerprint: e.Hash[:16]}},
	}
	if r := verifyFile(t, path, good); !r.OK() {
		t.Fatalf("anchors of the file itself: %v", r.Problems)
	}
	a, err := store.ParseAnchor(fmt.Sprintf(" %d:%s ", e.Seq, strings.ToUpper(e.Hash)))
	if err != nil || a != good.Expect[0] {
		t.Fatalf("parse anchor: %+v %v", a, err)
	}
	spaced := e.Hash[:4] + " " + e.Hash[4:8] + " " + e.Hash[8:12] + " " + e.Hash[12:16]
	ra, err := store.ParseReceiptAnchor(p.Receipt + ":" + spaced)
	if err != nil || ra != good.Receipts[0] {
		t.Fatalf("parse receipt anchor: %+v %v", ra, err)
	}
	for _, bad := range []string{"", "12", "x:abc", "3:" + strings.Repeat("g", 64), "-1:" + e.Hash} {
		if _, err := store.ParseAnchor(bad); err == nil {
			t.Fatalf("anchor %q accepted", bad)
		}
	}
	for _, bad := range []string{"", "R-ENF-C01-2026-000001", "R-ENF-C01-2026-000001:abcd", "nope:" + e.Hash} {
		if _, err := store.ParseReceiptAnchor(bad); err == nil {
			t.Fatalf("receipt anchor %q accepted", bad)
		}
	}
	other := strings.Repeat("a", 64)
	for name, tc := range map[string]struct {
		opt   store.Options
		motif string
	}{
		"hash differs":      {store.Options{Expect: []store.Anchor{{Seq: e.Seq, Hash: other}}}, "le journal a été réécrit"},
		"entry beyond":      {store.Options{Expect: []store.Anchor{{Seq: e.Seq + 5, Hash: other}}}, "l'entrée attestée manque"},
		"receipt unknown":   {store.Options{Receipts: []store.ReceiptAnchor{{Receipt: "R-ENF-C01-2026-000999", Fingerprint: other[:16]}}}, "aucun paiement"},
		"fingerprint wrong": {store.Options{Receipts: []store.ReceiptAnchor{{Receipt: p.Receipt, Fingerprint: other[:16]}}}, "ne correspond pas"},
	} {
		t.Run(name, func(t *testing.T) { mustFind(t, verifyFile(t, path, tc.opt), tc.motif) })
	}
	// A forger rewrites the last payment and re-hashes: the file's chain
	// holds, the anchors printed before do not.
	tamper(t, path, fmt.Sprintf(`UPDATE journal SET data = replace(data, '"amount":1200', '"amount":1300') WHERE seq = %d`, e.Seq))
	rehash(t, path, e.Seq)
	mustFind(t, verifyFile(t, path, good), "le journal a été réécrit")
	mustFind(t, verifyFile(t, path, good), "l'empreinte imprimée")
}
