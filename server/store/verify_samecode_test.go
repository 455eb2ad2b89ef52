package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
)

// TestVerifyNamesTheRightRegie: counter codes are unique within a régie
// only, so a projection changed under régie PIS's counter C01 is reported
// on PIS/C01, and one under ENF's C01 on ENF/C01.
func TestVerifyNamesTheRightRegie(t *testing.T) {
	w := searchSample(t)
	var k *Counter
	err := w.st.Update(context.Background(), func(tx *Tx) (err error) {
		k, err = tx.CreateCounter(regie.Counter{Code: "C01", Regie: "PIS", Name: "Guichet C01 piscine"}, "enrol-PIS-C01",
			time.Now().Add(time.Hour), time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	j := apptest.NewJournal("PIS", "C01", "ag-PIS")
	w.at = w.at.Add(time.Minute)
	j.Pay(t, w.at, &regie.Payment{ID: "PC1", Tenders: []regie.Tender{cash(4_00)}, Allocations: []regie.Allocation{ticket(4_00)}})
	err = w.st.Update(context.Background(), func(tx *Tx) error {
		_, err := tx.PushChecked(k, Batches(PrepareBatch(j.Take())), PushOptions{Now: w.at.Add(time.Second)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, w.st, `DROP TRIGGER payment_modes_no_update`, `UPDATE payment_modes SET modes = 8 WHERE payment_id IN ('PC1', 'E1')`)
	reports, err := w.st.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, r := range reports {
		for _, p := range r.Problems {
			for _, id := range []string{"PC1", "E1"} {
				if strings.Contains(p.Message, "ligne "+id) {
					found[id] = r.Regie + "/" + r.Counter
				}
			}
		}
	}
	if found["PC1"] != "PIS/C01" || found["E1"] != "ENF/C01" {
		t.Errorf("problems reported on %v, want PC1 on PIS/C01 and E1 on ENF/C01", found)
	}
}
