package ledger_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/server/store"
)

func itoa(i int) string { return strconv.Itoa(i) }

// seedMany gives the demo régie n households with one large invoice each.
func seedMany(b *testing.B, st *store.Store, n int) {
	b.Helper()
	r := demo.Regie()
	err := st.Update(context.Background(), func(tx *store.Tx) error {
		if err := tx.SaveRegie(&r, true); err != nil {
			return err
		}
		for i := range n {
			h := regie.Household{ID: "bh-" + itoa(i), Account: "B" + itoa(100000+i), Name: "Foyer " + itoa(i)}
			if err := tx.UpsertHousehold(&h); err != nil {
				return err
			}
			inv := regie.Invoice{ID: "bi-" + itoa(i), Number: "FB-" + itoa(i), HouseholdID: h.ID, Label: "Cantine",
				Amount: 1_000_000_00, Remaining: 1_000_000_00, IssuedOn: "2026-11-05", DueOn: "2026-12-05"}
			if err := tx.UpsertInvoice(r.Code, &inv); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
