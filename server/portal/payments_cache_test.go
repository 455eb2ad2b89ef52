package portal_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// TestPaymentsPageFollowsTheStore checks that the kept Mes paiements
// (paymentsCache) is never shown once what it lists has changed: a payment
// pushed, a payment cancelled, a régie renamed, another household's
// payment (which must not matter), and two households seen in turn.
func TestPaymentsPageFollowsTheStore(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	b.linkHousehold(helene, h1Code)
	caption := func() string {
		t.Helper()
		d := parse(t, b.get("/paiements").body)
		for _, c := range d.all("caption") {
			return text(c)
		}
		t.Fatal("no caption")
		return ""
	}
	if got := caption(); !strings.HasPrefix(got, "3 paiements en 2026, pour un total de 110,00") {
		t.Fatalf("first: %q", got)
	}
	caption() // served from the cache

	// Another household's payment leaves Hélène's page as it was.
	at := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	f := e.f
	f.pay(t, "h2-more", "C01", at, "h2", []regie.Tender{{Mode: regie.Cash, Amount: 5_00, Tendered: 5_00}},
		regie.Allocation{InvoiceID: "i201", InvoiceNumber: "FAC-2026-00201", Label: "Cantine mai 2026", Amount: 5_00})
	f.push(t)
	if got := caption(); !strings.HasPrefix(got, "3 paiements en 2026, pour un total de 110,00") {
		t.Fatalf("after another household's payment: %q", got)
	}

	// A new payment of hers appears at once.
	f.pay(t, "h1-more", "C01", at.Add(time.Hour), "h1", []regie.Tender{{Mode: regie.Card, Amount: 7_00, Authorisation: "A1"}},
		regie.Allocation{InvoiceID: "i102", InvoiceNumber: "FAC-2026-00102", Label: "Accueil de loisirs avril 2026", Amount: 7_00})
	f.push(t)
	if got := caption(); !strings.HasPrefix(got, "4 paiements en 2026, pour un total de 117,00") {
		t.Fatalf("after her payment: %q", got)
	}
	// Its cancellation too.
	f.cancel(t, "h1-more", "C01", at.Add(2*time.Hour))
	f.push(t)
	if got := caption(); !strings.HasPrefix(got, "4 paiements en 2026, pour un total de 110,00") {
		t.Fatalf("after the cancellation: %q", got)
	}
	if d := parse(t, b.get("/paiements").body); !d.has("R-ENF-C01-2026-000005 Annulé le 01/06/2026") {
		t.Fatal("the cancelled payment is not marked")
	}
	// A régie renamed: its new name on every row.
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		return tx.SaveRegie(&regie.Regie{Code: "ENF", Name: "Régie Petite Enfance", Modes: []regie.PaymentMode{regie.Cash},
			DepositPeriodDays: 7, CashLimit: 300_00, Timezone: "Europe/Paris"}, false)
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := parse(t, b.get("/paiements").body); !d.has("Accueil mairie Régie Petite Enfance") || d.has("Régie Enfance – Ville de Montaigu") {
		t.Fatal("the régie's new name is not shown")
	}
	// Paul sees his own payments, not Hélène's kept page.
	p := e.browser()
	p.linkHousehold(paul, h2Code)
	if d := parse(t, p.get("/paiements").body); !d.has("2 paiements en 2026, pour un total de 35,00") || d.has("R-ENF-C01-2026-000002") {
		t.Fatal("Paul's page")
	}
}
