package app_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/app/store"
)

// restart opens the file again as the program does at start: a new store
// and a new counter that checks its file.
func (f *fixture) restart() *app.Counter {
	f.t.Helper()
	f.st.Close()
	st, err := store.Open(f.ctx, f.path)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { st.Close() })
	f.st = st
	f.c = app.New(app.Adapt(st), app.WithClock(f.clock.Now), app.WithLocation(paris), app.WithFileCheck(st.VerifyAtStart))
	return f.c
}

func (f *fixture) raw(stmts ...string) {
	f.t.Helper()
	f.st.Close()
	db, err := sql.Open("sqlite", "file:"+f.path)
	if err != nil {
		f.t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			f.t.Fatalf("%s: %v", q, err)
		}
	}
}

func copyTo(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"-wal", "-shm"} {
		os.Remove(dst + s)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) entries() int64 {
	f.t.Helper()
	var n int64
	if err := f.st.DB().QueryRow(`SELECT count(*) FROM journal`).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// TestTillRefusesAnAlteredFile runs a day, restarts on the intact file
// (the till opens), then alters the file behind the counter's back in
// several ways: at the next start, login and opening the till are refused
// with a French message that sends the agent to the régisseur, and
// nothing is written into the file.
func TestTillRefusesAnAlteredFile(t *testing.T) {
	setup := func(t *testing.T) *fixture {
		f := newFixture(t)
		reg := f.regisseur()
		f.open(reg)
		f.pay(reg, cashOn("i-0001-1", 10_00))
		f.pay(reg, cashOn("i-0001-2", 12_00))
		return f
	}
	f := setup(t)
	c := f.restart()
	if err := c.CheckFile(f.ctx); err != nil {
		t.Fatalf("intact file refused: %v", err)
	}
	reg := f.regisseur()
	f.pay(reg, cashOn("i-0001-3", 5_00))
	var verified int64
	f.st.DB().QueryRow(`SELECT seq FROM verified`).Scan(&verified)
	if verified == 0 {
		t.Fatal("the start check did not record what it verified")
	}
	f.restart()
	if _, err := f.c.Login(f.ctx, demo.RegisseurLogin, demo.RegisseurPIN); err != nil {
		t.Fatalf("second start on an intact file: %v", err)
	}

	attacks := map[string][]string{
		"payment amount in its table": {`DROP TRIGGER tenders_no_update`, `UPDATE tenders SET amount = 1 WHERE idx = 0`},
		"payment removed from its table": {`DROP TRIGGER payments_no_delete`, `DROP TRIGGER tenders_no_delete`, `DROP TRIGGER allocations_no_delete`,
			`DELETE FROM tenders WHERE payment_id = (SELECT id FROM payments ORDER BY seq DESC LIMIT 1)`,
			`DELETE FROM allocations WHERE payment_id = (SELECT id FROM payments ORDER BY seq DESC LIMIT 1)`,
			`DELETE FROM payments WHERE seq = (SELECT max(seq) FROM payments)`},
		"closing slipped in for today": {`INSERT INTO closings SELECT 'forged', seq, day, 0, 0 FROM sessions ORDER BY seq DESC LIMIT 1`},
		"append-only trigger dropped":  {`DROP TRIGGER cancellations_no_delete`},
		"journal deleted": {`DROP TRIGGER journal_no_delete`, `DROP TRIGGER payments_no_delete`, `DROP TRIGGER tenders_no_delete`,
			`DROP TRIGGER allocations_no_delete`, `DROP TRIGGER sessions_no_delete`, `DROP TRIGGER logins_no_delete`,
			`DELETE FROM checks_held`, `DELETE FROM tenders`, `DELETE FROM allocations`, `DELETE FROM payments`,
			`DELETE FROM sessions`, `DELETE FROM logins`, `DELETE FROM journal`},
		"cut short after the server acknowledged": {`UPDATE sync_state SET acked_seq = 10000`},
		"entry rewritten":                         {`DROP TRIGGER journal_no_update`, `UPDATE journal SET agent = 'x' WHERE seq = 2`},
	}
	for name, stmts := range attacks {
		t.Run(name, func(t *testing.T) {
			f := setup(t)
			f.restart()
			f.regisseur() // a first start verifies and records the head
			f.raw(stmts...)
			c := f.restart()
			before := f.entries()
			_, err := c.Login(f.ctx, demo.RegisseurLogin, demo.RegisseurPIN)
			wantCode(t, err, regie.EFileAltered)
			if msg := regie.ErrorMessage(err); !strings.Contains(msg, "appelez le régisseur") {
				t.Fatalf("message %q", msg)
			}
			_, err = c.OpenSession(f.ctx, &app.Auth{}, nil, 0)
			wantCode(t, err, regie.EFileAltered)
			if after := f.entries(); after != before {
				t.Fatalf("%d entries before, %d after: the refused file was written", before, after)
			}
			if err := c.CheckFile(context.Background()); err == nil {
				t.Fatal("the refusal did not stick")
			}
		})
	}
}

// TestTillRefusesAChequeTakenOffTheTill swaps a cheque of a closed day in
// the list of cheques in the till after the counter verified its file:
// the list is state, not history, and the next start still sees it —
// while a deposit that takes the cheque out is no alarm.
func TestTillRefusesAChequeTakenOffTheTill(t *testing.T) {
	f := newFixture(t)
	reg := f.regisseur()
	f.open(reg)
	req := cashOn("i-0001-1", 10_00)
	req.Tenders = []regie.Tender{cheque(10_00, "0004321")}
	chequeID := f.pay(reg, req).ID
	f.closeExact(reg, app.ClosingRequest{})
	f.setDay("2026-11-28")
	f.restart()
	reg = f.regisseur() // verified, with the cheque in the till
	f.open(reg)
	f.pay(reg, cashOn("i-0001-2", 5_00))
	f.restart()
	reg = f.regisseur() // verified again: the cheque of the 27th is now before the open day
	f.pay(reg, cashOn("i-0001-3", 5_00))
	good := f.path + ".avant-versement"
	f.st.Close()
	copyTo(t, f.path, good)
	f.restart()
	reg = f.regisseur()
	if _, err := f.c.Deposit(f.ctx, reg, app.DepositRequest{Checks: []app.CheckRef{{PaymentID: chequeID, Tender: 0}}}); err != nil {
		t.Fatal(err)
	}
	f.restart()
	f.regisseur() // the deposit took the cheque out of the till: no alarm
	f.st.Close()
	copyTo(t, good, f.path)
	f.raw(`UPDATE checks_held SET idx = 7`) // as many rows, one cheque swapped for another
	c := f.restart()
	_, err := c.Login(f.ctx, demo.RegisseurLogin, demo.RegisseurPIN)
	wantCode(t, err, regie.EFileAltered)
	if !strings.Contains(regie.ErrorMessage(err), "checks_held") {
		t.Fatalf("message %q does not name the table", regie.ErrorMessage(err))
	}
}

// TestTillRefusesAForgedEntry appends, after the counter verified its
// file, a payment forged by someone who knows the hash: well chained, its
// rows written by the store's own Append, but numbered out of sequence.
// Only the rules of meaning see it; the next start does.
func TestTillRefusesAForgedEntry(t *testing.T) {
	f := newFixture(t)
	reg := f.regisseur()
	f.open(reg)
	p := f.pay(reg, cashOn("i-0001-1", 10_00))
	f.restart()
	f.regisseur()
	err := f.st.Update(f.ctx, func(tx *store.Tx) error {
		prev, err := tx.LastEntry()
		if err != nil {
			return err
		}
		forged := *p
		forged.ID, forged.At = "forged", prev.At.Add(time.Minute)
		forged.Receipt = strings.Replace(p.Receipt, "-000001", "-000009", 1)
		_, err = appendForged(tx, prev, regie.KindPayment, forged.ID, forged.Agent, forged.At, &forged)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c := f.restart()
	_, err = c.Login(f.ctx, demo.RegisseurLogin, demo.RegisseurPIN)
	wantCode(t, err, regie.EFileAltered)
	if !strings.Contains(regie.ErrorMessage(err), "le numéro 2 était attendu") {
		t.Fatalf("message %q", regie.ErrorMessage(err))
	}
}

// TestStartCheckCarriesMeaningAcrossDays forges entries after a closed day
// the counter had verified: the start check knows the last receipt number
// and the sealed days from before its tail.
func TestStartCheckCarriesMeaningAcrossDays(t *testing.T) {
	for name, tc := range map[string]struct {
		day, receipt, says string
	}{
		"receipt number skipped":    {"2026-11-28", "-000005", "le numéro 2 était attendu"},
		"payment on the sealed day": {"2026-11-27", "-000002", "déjà clôturée"},
		"day opened out of order":   {"2026-11-26", "-000002", "les journées se suivent"},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			reg := f.regisseur()
			f.open(reg)
			p := f.pay(reg, cashOn("i-0001-1", 10_00))
			f.closeExact(reg, app.ClosingRequest{})
			f.restart()
			f.regisseur() // verified through the closing
			at, _ := time.ParseInLocation(time.DateTime, tc.day+" 10:00:00", paris)
			err := f.st.Update(f.ctx, func(tx *store.Tx) error {
				prev, err := tx.LastEntry()
				if err != nil {
					return err
				}
				s := &regie.TillSession{ID: "forged-session", Counter: prev.Counter, Agent: p.Agent, OpenedAt: regie.JournalTime(at),
					Day: tc.day, Float: 0}
				if tc.day != "2026-11-27" { // the closed day keeps its own session
					if prev, err = appendForged(tx, prev, regie.KindSessionOpen, s.ID, s.Agent, s.OpenedAt, s); err != nil {
						return err
					}
				} else {
					s.ID = p.SessionID
				}
				forged := *p
				forged.ID, forged.At, forged.Day, forged.SessionID = "forged", regie.JournalTime(at.Add(time.Minute)), tc.day, s.ID
				forged.Receipt = strings.Replace(p.Receipt, "-000001", tc.receipt, 1)
				_, err = appendForged(tx, prev, regie.KindPayment, forged.ID, forged.Agent, forged.At, &forged)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			c := f.restart()
			_, err = c.Login(f.ctx, demo.RegisseurLogin, demo.RegisseurPIN)
			wantCode(t, err, regie.EFileAltered)
			if !strings.Contains(regie.ErrorMessage(err), tc.says) {
				t.Fatalf("message %q does not say %q", regie.ErrorMessage(err), tc.says)
			}
		})
	}
}

// TestStartCheckHoldsTheJournalSettings forges, after a verified start, a
// payment in cash above the régie's limit, well numbered and well chained:
// the start check applies the settings the journal had at that entry,
// whether the last start kept them or they are read from the journal.
func TestStartCheckHoldsTheJournalSettings(t *testing.T) {
	for name, forget := range map[string]bool{"kept by the last start": false, "read from the journal": true} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			reg := f.regisseur()
			f.open(reg)
			p := f.pay(reg, cashOn("i-0001-1", 10_00))
			f.restart()
			f.regisseur()
			err := f.st.Update(f.ctx, func(tx *store.Tx) error {
				prev, err := tx.LastEntry()
				if err != nil {
					return err
				}
				forged := *p
				forged.ID, forged.At = "forged", prev.At.Add(time.Minute)
				forged.Receipt = strings.Replace(p.Receipt, "-000001", "-000002", 1)
				forged.Tenders = []regie.Tender{{Mode: regie.Cash, Amount: 400_00, Tendered: 400_00}}
				forged.Allocations = []regie.Allocation{p.Allocations[0]}
				forged.Allocations[0].Amount, forged.Total = 400_00, 400_00
				_, err = appendForged(tx, prev, regie.KindPayment, forged.ID, forged.Agent, forged.At, &forged)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if forget {
				f.st.Close()
				f.raw(`UPDATE verified SET state = json_remove(state, '$."$settings"')`)
			}
			c := f.restart()
			_, err = c.Login(f.ctx, demo.RegisseurLogin, demo.RegisseurPIN)
			wantCode(t, err, regie.EFileAltered)
			if !strings.Contains(regie.ErrorMessage(err), "espèces limité à") {
				t.Fatalf("message %q", regie.ErrorMessage(err))
			}
		})
	}
}

// appendForged writes what someone who knows the hash could: obj chained
// after prev and its rows written by the store's own Append, behind the
// counter's back.
func appendForged(tx *store.Tx, prev *regie.Entry, kind regie.EntryKind, id, agent string, at time.Time, obj any) (*regie.Entry, error) {
	e, err := regie.NewEntry(prev, prev.Counter, kind, id, agent, at, obj)
	if err != nil {
		return nil, err
	}
	return e, tx.Append(e, obj)
}
