package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
	"github.com/regie-fr/regie/sync/protocol"
)

func open(t *testing.T) (*store.Store, *store.Counter) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var c *store.Counter
	r := regie.Regie{Code: "ENF", Name: "Régie", Modes: []regie.PaymentMode{regie.Cash}, DepositPeriodDays: 7}
	err = st.Update(ctx, func(tx *store.Tx) (err error) {
		if err := tx.SaveRegie(&r, true); err != nil {
			return err
		}
		c, err = tx.CreateCounter(regie.Counter{Code: "C01", Regie: "ENF", Name: "C01"}, "h", time.Now().Add(time.Hour), time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return st, c
}

// push stores entries of c's journal through the server's one push, which
// checks links and rules, in one transaction.
func push(st *store.Store, c *store.Counter, entries []regie.Entry) (*store.PushResult, error) {
	var res *store.PushResult
	err := st.Update(context.Background(), func(tx *store.Tx) (err error) {
		res, err = tx.PushChecked(c, store.Batches(store.PrepareBatch(entries)), store.PushOptions{Now: time.Now()})
		return err
	})
	return res, err
}

// pullAll pulls every page from cursor with pages of limit rows.
func pullAll(t *testing.T, st *store.Store, c *store.Counter, cursor string, limit int) (pages []*protocol.PullResponse) {
	t.Helper()
	for range 100 {
		var p *protocol.PullResponse
		if err := st.View(context.Background(), func(tx *store.Tx) (err error) { p, err = tx.Pull(c, cursor, limit); return err }); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
		if cursor = p.Cursor; !p.More {
			return pages
		}
	}
	t.Fatal("pull does not end")
	return nil
}

func TestPullPagesCarryTheirInvoicesHouseholds(t *testing.T) {
	st, c := open(t)
	ctx := context.Background()
	err := st.Update(ctx, func(tx *store.Tx) error {
		for i := range 10 {
			h := regie.Household{ID: fmt.Sprintf("H%d", i), Account: fmt.Sprintf("A%d", i), Name: "N"}
			if err := tx.UpsertHousehold(&h); err != nil {
				return err
			}
			inv := regie.Invoice{ID: fmt.Sprintf("I%d", i), Number: fmt.Sprintf("N%d", i), HouseholdID: h.ID, Label: "L", Amount: 100}
			if err := tx.UpsertInvoice("ENF", &inv); err != nil {
				return err
			}
		}
		// H0 changes after its invoice: its revision is now the last.
		h := regie.Household{ID: "H0", Account: "A0", Name: "Nouveau nom"}
		return tx.UpsertHousehold(&h)
	})
	if err != nil {
		t.Fatal(err)
	}
	pages := pullAll(t, st, c, "", 3)
	households, invoices := map[string]bool{}, 0
	settings := 0
	for _, p := range pages {
		for _, h := range p.Households {
			households[h.ID] = true
		}
		for _, inv := range p.Invoices {
			invoices++
			found := false
			for _, h := range p.Households {
				found = found || h.ID == inv.HouseholdID
			}
			if !found && !households[inv.HouseholdID] {
				t.Fatalf("invoice %s comes before its household %s", inv.ID, inv.HouseholdID)
			}
		}
		if p.Settings != nil {
			settings++
		}
		if len(p.Households)+len(p.Invoices) > 3+1 {
			t.Fatalf("page of %d rows", len(p.Households)+len(p.Invoices))
		}
	}
	if len(households) != 10 || invoices != 10 || settings != 1 {
		t.Fatalf("%d households, %d invoices, settings %d times", len(households), invoices, settings)
	}
	// Nothing changed: nothing comes, not even the settings.
	last := pages[len(pages)-1].Cursor
	again := pullAll(t, st, c, last, 3)
	if len(again) != 1 || again[0].Settings != nil || len(again[0].Households) != 0 || again[0].Cursor != last {
		t.Fatalf("second pull: %+v", again[0])
	}
	// A cursor of another database starts over; a garbled one is refused.
	if p := pullAll(t, st, c, "autre:5", 100); !p[0].Reset || len(p[0].Households) != 10 {
		t.Fatalf("foreign cursor: reset %v, %d households", p[0].Reset, len(p[0].Households))
	}
	err = st.View(ctx, func(tx *store.Tx) error { _, err := tx.Pull(c, "n'importe quoi", 3); return err })
	if regie.ErrorCodeOf(err) != regie.EInvalid {
		t.Fatalf("garbled cursor: %v", err)
	}
}

func TestCancellationTakesTheCreditBack(t *testing.T) {
	st, c := open(t)
	ctx := context.Background()
	st.Update(ctx, func(tx *store.Tx) error {
		h := regie.Household{ID: "H", Account: "A", Name: "N"}
		tx.UpsertHousehold(&h)
		inv := regie.Invoice{ID: "I", Number: "N", HouseholdID: "H", Label: "L", Amount: 10_00}
		return tx.UpsertInvoice("ENF", &inv)
	})
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	pay := func(id string) *regie.Payment {
		return &regie.Payment{ID: id, HouseholdID: "H", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 10_00}},
			Allocations: []regie.Allocation{{InvoiceID: "I", Label: "L", Amount: 10_00}}}
	}
	j := apptest.NewJournal("ENF", "C01", "a")
	p1 := pay("P1")
	j.Pay(t, at, p1)
	j.Pay(t, at.Add(time.Minute), pay("P2"))
	first := j.Take()
	j.Cancel(t, at.Add(2*time.Minute), p1, regie.CancelReasons[0])
	es := append(first, j.Take()...)
	state := func() (*store.InvoiceState, regie.Money) {
		var s *store.InvoiceState
		var credit regie.Money
		st.View(ctx, func(tx *store.Tx) (err error) {
			if s, err = tx.Invoice("I"); err != nil {
				return err
			}
			credit, err = tx.HouseholdCredit("H")
			return err
		})
		return s, credit
	}
	// Two payments then the cancellation of the first, in two pushes.
	for _, run := range [][]regie.Entry{first, es[len(first):]} {
		if _, err := push(st, c, run); err != nil {
			t.Fatal(err)
		}
		s, credit := state()
		if len(run) == len(first) && (s.Paid != 20_00 || s.Remaining != 0 || credit != 10_00) {
			t.Fatalf("after both payments: paid %s, remaining %s, credit %s", s.Paid, s.Remaining, credit)
		}
	}
	if s, credit := state(); s.Paid != 10_00 || s.Remaining != 0 || credit != 0 {
		t.Fatalf("after the cancellation: paid %s, remaining %s, credit %s", s.Paid, s.Remaining, credit)
	}
	// The same payment id again, under a new seq: refused, named.
	dup := j.Pay(t, at.Add(3*time.Minute), pay("P2"))
	_, err := push(st, c, j.Take())
	if ee, ok := err.(*store.EntryError); !ok || ee.Seq != dup.Seq || ee.Code != protocol.CodeEntryConflict {
		t.Fatalf("duplicate payment id: %v", err)
	}
}

func TestJournalIsAppendOnly(t *testing.T) {
	st, c := open(t)
	at := time.Now()
	e, _ := regie.NewEntry(nil, "C01", regie.KindLogin, "L1", "a", at, regie.Login{ID: "L1", Agent: "a", Success: true, At: at})
	if _, err := push(st, c, []regie.Entry{*e}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE journal SET agent = 'x'`, `DELETE FROM journal`} {
		if _, err := st.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
	// Every recorded table refuses both; other migrations may add more.
	for _, table := range []string{"journal", "payments", "allocations", "cancellations", "credits",
		"portal_link_slips", "portal_link_slip_uses"} {
		var n int
		q := `SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?
			AND (name LIKE '%_no_update' OR name LIKE '%_no_delete')`
		if storetest.Postgres() { // one trigger, on both events
			q = `SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = current_schema()
				AND event_object_table = ? AND action_timing = 'BEFORE' AND event_manipulation IN ('UPDATE', 'DELETE')
				AND action_statement LIKE '%regie_append_only%'`
		}
		st.QueryRow(q, table).Scan(&n)
		if n != 2 {
			t.Errorf("%s: %d append-only triggers, want 2", table, n)
		}
	}
}

// TestOpenRefusesANewerDatabase: a database a newer program migrated is
// refused by Open (serve, every command), not written into by a program
// that does not know its tables.
func TestOpenRefusesANewerDatabase(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t, "serveur")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	q := fmt.Sprintf(`PRAGMA user_version = %d`, store.LatestVersion()+1)
	if storetest.Postgres() {
		q = fmt.Sprintf(`UPDATE regie_schema SET version = %d`, store.LatestVersion()+1)
	}
	if _, err := st.Exec(q); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if st, err := store.Open(ctx, db); !errors.Is(err, store.ErrNewer) {
		if st != nil {
			st.Close()
		}
		t.Fatalf("a newer database opened: %v", err)
	}
}
