package app_test

import (
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/app/store"
)

func TestSyncBookkeepingSurvivesARestart(t *testing.T) {
	f := newFixture(t)
	ctx := f.ctx
	f.regisseur()
	f.mandataire() // two logins: three entries with the settings
	p, err := f.c.SyncPoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.Enrolled() || p.Acked != 0 || p.Last != 3 || p.Pending() != 3 {
		t.Fatalf("fresh file: %+v", p)
	}
	if err := f.c.SaveEnrolment(ctx, "https://regie.example", "secret"); err != nil {
		t.Fatal(err)
	}
	es, err := f.c.JournalSince(ctx, 0, 2)
	if err != nil || len(es) != 2 || es[0].Seq != 1 || es[1].Seq != 2 {
		t.Fatalf("JournalSince(0, 2): %d entries, %v", len(es), err)
	}
	if err := f.c.Acknowledge(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if err := f.c.Acknowledge(ctx, p.Last+1); regie.ErrorCodeOf(err) != regie.EConflict {
		t.Fatalf("acknowledging more than the file holds: %v", err)
	}
	if err := f.c.ApplyPull(ctx, app.Pull{Cursor: "abc:12"}); err != nil {
		t.Fatal(err)
	}
	// Restart: a new store on the same file.
	f.st.Close()
	st, err := store.Open(ctx, f.path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := app.New(app.Adapt(st))
	q, err := c.SyncPoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !q.Enrolled() || q.Server != "https://regie.example" || q.Acked != 2 || q.Cursor != "abc:12" || q.Pending() != int(p.Last-2) {
		t.Fatalf("after restart: %+v", q)
	}
	// Another server starts over.
	if err := c.SaveEnrolment(ctx, "https://autre.example", "s2"); err != nil {
		t.Fatal(err)
	}
	if q, _ = c.SyncPoint(ctx); q.Acked != 0 || q.Cursor != "" {
		t.Fatalf("after a new server: %+v", q)
	}
}

func TestApplyPullKeepsLocalPaymentsAfterAsOfSeq(t *testing.T) {
	f := newFixture(t)
	a := f.regisseur()
	f.open(a)
	inv := demo.Reference().Invoices[0]
	f.pay(a, cashOn(inv.ID, 10_00))
	p, _ := f.c.SyncPoint(f.ctx)
	// The server has applied everything up to p.Last: its remaining
	// already counts the 10 €.
	inv.Remaining = inv.Amount - 10_00
	err := f.c.ApplyPull(f.ctx, app.Pull{Cursor: "x:1", Reference: app.Reference{Invoices: []regie.Invoice{inv}, AsOfSeq: p.Last}})
	if err != nil {
		t.Fatal(err)
	}
	f.pay(a, cashOn(inv.ID, 5_00)) // after as_of_seq: still deducted here
	open, err := f.c.OpenInvoices(f.ctx, inv.HouseholdID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range open {
		if o.ID == inv.ID && o.Remaining != inv.Amount-15_00 {
			t.Fatalf("remaining %s, want %s", o.Remaining, inv.Amount-15_00)
		}
	}
	// New settings come through Configure and are journaled.
	r := demo.Regie()
	r.CashLimit = 250_00
	ident := demo.Counter()
	before, _ := f.c.SyncPoint(f.ctx)
	if err := f.c.ApplyPull(f.ctx, app.Pull{Counter: &ident, Settings: &r, Cursor: "x:2"}); err != nil {
		t.Fatal(err)
	}
	s, _, err := f.c.Settings(f.ctx)
	if err != nil || s.CashLimit != 250_00 {
		t.Fatalf("settings %+v %v", s, err)
	}
	after, _ := f.c.SyncPoint(f.ctx)
	if after.Last != before.Last+1 || after.Cursor != "x:2" {
		t.Fatalf("settings change not journaled: %+v → %+v", before, after)
	}
}
