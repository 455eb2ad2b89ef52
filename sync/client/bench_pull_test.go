package client_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	appstore "github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
	"github.com/regie-fr/regie/sync/client"
)

// BenchmarkPull50kHouseholds pulls 50 000 households (two members each)
// and as many invoices into a fresh counter file: the first pull of a new
// counter in a large city, all pages, over loopback HTTP. Run with
// -benchtime 1x.
func BenchmarkPull50kHouseholds(b *testing.B) {
	const n = 50_000
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DB(b, "serveur"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	seedB(b, st)
	err = st.Update(ctx, func(tx *store.Tx) error {
		for i := range n {
			h := regie.Household{ID: fmt.Sprintf("H%06d", i), Account: fmt.Sprintf("A%06d", i), Name: fmt.Sprintf("Martin-Lefèvre %d", i),
				Address: fmt.Sprintf("%d rue des Écoles, 49000 Montaigu-sur-Loire", i%300), AccessCode: "K7Q101X",
				Members: []regie.Member{{FirstName: "Hélène", LastName: "Martin", BirthDate: "1984-05-12", Holder: true},
					{FirstName: "Chloé", LastName: "Martin", BirthDate: "2017-09-03"}}}
			if err := tx.UpsertHousehold(&h); err != nil {
				return err
			}
			inv := regie.Invoice{ID: fmt.Sprintf("I%06d", i), Number: fmt.Sprintf("FAC-%06d", i), HouseholdID: h.ID,
				Label: "Restauration scolaire – octobre 2026", Amount: 61_60, IssuedOn: "2026-11-05", DueOn: "2026-12-05",
				Lines: []regie.InvoiceLine{{Label: "Repas", Beneficiary: "Chloé Martin", Period: "octobre 2026", Quantity: 16, UnitPrice: 3_85, Amount: 61_60}}}
			if err := tx.UpsertInvoice("ENF", &inv); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(api.New(st, api.Options{Logger: quiet}))
	defer srv.Close()
	for range b.N {
		b.StopTimer()
		cred := enrolDirect(b, st, fmt.Sprintf("P%d", time.Now().UnixNano()%1e9))
		cst, err := appstore.Open(ctx, filepath.Join(b.TempDir(), "caisse.db"))
		if err != nil {
			b.Fatal(err)
		}
		c := app.New(app.Adapt(cst))
		c.SaveEnrolment(ctx, srv.URL, cred)
		sc := client.New(c, client.Options{Logger: quiet, Timeout: time.Minute, PullLimit: benchPullLimit})
		b.StartTimer()
		start := time.Now()
		if err := sc.Sync(ctx); err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		b.StopTimer()
		b.ReportMetric(el.Seconds(), "s/pull")
		var got int
		cst.DB().QueryRow(`SELECT count(*) FROM households`).Scan(&got)
		if got != n+6 {
			b.Fatalf("counter holds %d households, want %d", got, n+6)
		}
		cst.Close()
	}
}
