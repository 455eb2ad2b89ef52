package store

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
)

// TestPortalSummary checks portal_payments (migration 0101): filled by its
// triggers as payments and cancellations are pushed, the same when filled
// from the payments already stored, and its version moving with them.
func TestPortalSummary(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "serveur.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var c *Counter
	err = st.Update(ctx, func(tx *Tx) (err error) {
		if err := tx.SaveRegie(&regie.Regie{Code: "ENF", Name: "Régie", Modes: []regie.PaymentMode{regie.Cash}, DepositPeriodDays: 7,
			Timezone: "Europe/Paris"}, true); err != nil {
			return err
		}
		for _, h := range []regie.Household{{ID: "H", Account: "A", Name: "N"}, {ID: "G", Account: "B", Name: "M"}} {
			if err := tx.UpsertHousehold(&h); err != nil {
				return err
			}
		}
		c, err = tx.CreateCounter(regie.Counter{Code: "C01", Regie: "ENF", Name: "Accueil"}, "h", time.Now().Add(time.Hour), time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	var prev *regie.Entry
	push := func(kind regie.EntryKind, id string, obj any) {
		t.Helper()
		e, err := regie.NewEntry(prev, "C01", kind, id, "a", at, obj)
		if err != nil {
			t.Fatal(err)
		}
		prev = e
		if err := st.Update(ctx, func(tx *Tx) error {
			_, err := tx.Push(c, PrepareBatch([]regie.Entry{*e}), time.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	pay := func(id, household string, tenders []regie.Tender, allocs ...regie.Allocation) {
		t.Helper()
		n++
		at = at.Add(time.Minute)
		p := &regie.Payment{ID: id, Receipt: regie.ReceiptNumber("ENF", "C01", 2026, n), Regie: "ENF", Counter: "C01", At: at,
			Day: "2026-11-27", HouseholdID: household, Tenders: tenders, Allocations: allocs}
		p.Total = p.TendersTotal()
		push(regie.KindPayment, id, p)
	}
	ps := st.Portal()
	version := func() string {
		t.Helper()
		v, err := ps.PaymentsVersion(ctx, "H")
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	v0 := version()
	pay("P1", "H", []regie.Tender{{Mode: regie.Cash, Amount: 5_00, Tendered: 5_00}, {Mode: regie.Check, Amount: 20_00, CheckNumber: "1", Drawer: `"Dupont, \ Jean"`}},
		regie.Allocation{InvoiceID: "I1", InvoiceNumber: "FAC-1", Label: "Cantine", Amount: 20_00}, regie.Allocation{ItemCode: "PISC", Label: "Piscine", Amount: 5_00})
	v1 := version()
	pay("P2", "H", []regie.Tender{{Mode: regie.Online, Amount: 10_00, Reference: "PAYFIP"}},
		regie.Allocation{InvoiceID: "I2", InvoiceNumber: "FAC-2", Label: "Séjour", Amount: 10_00})
	v2 := version()
	pay("P3", "", []regie.Tender{{Mode: regie.Cash, Amount: 1_00}}, regie.Allocation{ItemCode: "X", Label: "Ticket", Amount: 1_00})
	pay("P4", "G", []regie.Tender{{Mode: regie.Cash, Amount: 2_00}}, regie.Allocation{ItemCode: "X", Label: "Ticket", Amount: 2_00})
	if v := version(); v != v2 {
		t.Fatalf("another household's payment changed the version: %s, %s", v2, v)
	}
	push(regie.KindCancellation, "X1", &regie.Cancellation{ID: "X1", PaymentID: "P1", Receipt: "R", Reason: "Erreur de saisie", At: at, Day: "2026-11-27"})
	v3 := version()
	if v0 == v1 || v1 == v2 || v2 == v3 || v1 == v3 {
		t.Fatalf("versions %s %s %s %s", v0, v1, v2, v3)
	}

	list, err := ps.Payments(ctx, "H", 2026)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != "P2" || !list[0].Online || list[0].CounterName != "Accueil" || list[0].RegieName != "Régie" ||
		list[1].ID != "P1" || list[1].Online || list[1].Cancelled == nil || list[1].Cancelled.Reason != "Erreur de saisie" {
		t.Fatalf("payments: %+v", list)
	}
	wantTenders := []regie.Tender{{Mode: regie.Cash, Amount: 5_00}, {Mode: regie.Check, Amount: 20_00}}
	if !reflect.DeepEqual(list[1].Tenders, wantTenders) || len(list[1].Settled) != 2 || list[1].Settled[0].InvoiceNumber != "FAC-1" ||
		list[1].Settled[1].ItemCode != "PISC" || list[1].Settled[1].Amount != 5_00 {
		t.Fatalf("P1: %+v", list[1])
	}
	if years, err := ps.PaymentYears(ctx, "H"); err != nil || !reflect.DeepEqual(years, []int{2026}) {
		t.Fatalf("years %v, %v", years, err)
	}

	// Filled again from what is stored, as the migration does on a file
	// that has payments already: the same answer.
	body, err := migrations.ReadFile("migrations/0003_portal_summary.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, fill, ok := strings.Cut(string(body), "-- The payments already stored")
	if !ok {
		t.Fatal("no fill statement in 0101")
	}
	for _, q := range []string{"DELETE FROM portal_payments", "-- " + fill} {
		if _, err := st.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	again, err := ps.Payments(ctx, "H", 2026)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, list) {
		t.Fatalf("filled from the stored payments:\n%+v\nwant\n%+v", again, list)
	}
	var rows int
	if err := st.DB().QueryRowContext(ctx, "SELECT count(*) FROM portal_payments").Scan(&rows); err != nil || rows != 3 {
		t.Fatalf("%d rows (a payment without household has none), %v", rows, err)
	}
}
