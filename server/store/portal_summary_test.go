package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/server/store/storetest"
)

// TestPortalSummary checks portal_payments (migration 0101): filled by its
// triggers as payments and cancellations are pushed, the same when filled
// from the payments already stored, and its version moving with them.
func TestPortalSummary(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var c *Counter
	err = st.Update(ctx, func(tx *Tx) (err error) {
		if err := tx.SaveRegie(&regie.Regie{Code: "ENF", Name: "Régie", Modes: []regie.PaymentMode{regie.Cash, regie.Check, regie.Card},
			DepositPeriodDays: 7, AnonymousSales: true, Timezone: "Europe/Paris"}, true); err != nil {
			return err
		}
		for _, h := range []regie.Household{{ID: "H", Account: "A", Name: "N"}, {ID: "G", Account: "B", Name: "M"}} {
			if err := tx.UpsertHousehold(&h); err != nil {
				return err
			}
		}
		for _, inv := range []regie.Invoice{{ID: "I1", Number: "FAC-1", HouseholdID: "H", Label: "Cantine", Amount: 20_00},
			{ID: "I2", Number: "FAC-2", HouseholdID: "H", Label: "Séjour", Amount: 10_00}} {
			if err := tx.UpsertInvoice("ENF", &inv); err != nil {
				return err
			}
		}
		for _, it := range []regie.CatalogueItem{{Code: "PISC", Label: "Piscine", Price: 5_00}, {Code: "X", Label: "Ticket", Price: 1_00}} {
			if err := tx.SaveItem("ENF", &it); err != nil {
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
	j := apptest.NewJournal("ENF", "C01", "a")
	// push stores what the counter recorded since the last push, each
	// entry in its own push as a counter online sends it.
	push := func() {
		t.Helper()
		for _, e := range j.Take() {
			if err := st.Update(ctx, func(tx *Tx) error {
				_, err := tx.PushChecked(c, Batches(PrepareBatch([]regie.Entry{e})), PushOptions{Now: time.Now()})
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	payments := map[string]*regie.Payment{}
	pay := func(id, household string, tenders []regie.Tender, allocs ...regie.Allocation) {
		t.Helper()
		at = at.Add(time.Minute)
		payments[id] = &regie.Payment{ID: id, HouseholdID: household, Tenders: tenders, Allocations: allocs}
		j.Pay(t, at, payments[id])
		push()
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
	pay("P1", "H", []regie.Tender{{Mode: regie.Cash, Amount: 5_00, Tendered: 5_00}, {Mode: regie.Check, Amount: 20_00, CheckNumber: "1", Bank: "Banque", Drawer: `"Dupont, \ Jean"`}},
		regie.Allocation{InvoiceID: "I1", InvoiceNumber: "FAC-1", Label: "Cantine", Amount: 20_00}, regie.Allocation{ItemCode: "PISC", Label: "Piscine", Amount: 5_00})
	v1 := version()
	pay("P2", "H", []regie.Tender{{Mode: regie.Card, Amount: 10_00, Authorisation: "A1"}},
		regie.Allocation{InvoiceID: "I2", InvoiceNumber: "FAC-2", Label: "Séjour", Amount: 10_00})
	v2 := version()
	pay("P3", "", []regie.Tender{{Mode: regie.Cash, Amount: 1_00}}, regie.Allocation{ItemCode: "X", Label: "Ticket", Amount: 1_00})
	pay("P4", "G", []regie.Tender{{Mode: regie.Cash, Amount: 2_00}}, regie.Allocation{ItemCode: "X", Label: "Ticket", Amount: 2_00})
	if v := version(); v != v2 {
		t.Fatalf("another household's payment changed the version: %s, %s", v2, v)
	}
	j.Cancel(t, at.Add(time.Minute), payments["P1"], "Erreur de saisie du montant")
	push()
	v3 := version()
	if v0 == v1 || v1 == v2 || v2 == v3 || v1 == v3 {
		t.Fatalf("versions %s %s %s %s", v0, v1, v2, v3)
	}

	list, err := ps.Payments(ctx, "H", 2026)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != "P2" || list[0].Online || list[0].CounterName != "Accueil" || list[0].RegieName != "Régie" ||
		list[1].ID != "P1" || list[1].Online || list[1].Cancelled == nil || list[1].Cancelled.Reason != "Erreur de saisie du montant" {
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
	storetest.SQLiteOnly(t, "the fill of SQLite's migration 0003 on an old file")
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
