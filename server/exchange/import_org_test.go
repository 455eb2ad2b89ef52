package exchange_test

import (
	"context"
	"strings"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/exchange"
	"github.com/regie-fr/regie/server/store"
)

// TestImportTwoCities: a second city imports the same accounts and
// invoice numbers into its own organisation; a batch naming régies of two
// cities, a household-only batch that names none on a server of two, or
// an id of the other city is refused whole, in French, writing nothing.
func TestImportTwoCities(t *testing.T) {
	ctx := context.Background()
	st := newStore(t) // régie ENF in the organisation "ville"
	err := st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveOrganisation(&store.Organisation{Code: "ville", Name: "Ville A", Host: "a.example.org"}); err != nil {
			return err
		}
		if err := tx.CreateOrganisation(&store.Organisation{Code: "ville-b", Name: "Ville B", Host: "b.example.org"}); err != nil {
			return err
		}
		return tx.CreateRegieIn("ville-b", &regie.Regie{Code: "ENFB", Name: "Enfance B", Modes: []regie.PaymentMode{regie.Cash}, DepositPeriodDays: 7})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exchange.Import(ctx, st, []exchange.File{csvFile("foyers.csv", foyers), csvFile("factures.csv", factures)}); err != nil {
		t.Fatalf("city A: %v", err)
	}
	// City B: the same accounts and numbers, its own ids.
	foyersB := strings.NewReplacer("F1;", "B1;", "F2;", "B2;").Replace(foyers)
	facturesB := strings.NewReplacer("I1;", "J1;", "I2;", "J2;", ";F1;", ";B1;", ";F2;", ";B2;").Replace(strings.ReplaceAll(factures, ";ENF;", ";ENFB;"))
	if _, err := exchange.Import(ctx, st, []exchange.File{csvFile("foyers.csv", foyersB), csvFile("factures.csv", facturesB)}); err != nil {
		t.Fatalf("city B with the same accounts and numbers: %v", err)
	}
	var list []string
	rows, err := st.DB().Query(`SELECT id || '=' || org FROM households ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		list = append(list, s)
	}
	rows.Close()
	if orgs := strings.Join(list, ","); orgs != "B1=ville-b,B2=ville-b,F1=ville,F2=ville" {
		t.Fatalf("households' organisations: %s", orgs)
	}
	h0, i0 := counts(t, st)
	for _, c := range []struct {
		name  string
		org   string
		files []exchange.File
		want  string
	}{
		{"régies of two cities", "", []exchange.File{csvFile("factures.csv", factures+strings.SplitN(facturesB, "\n", 2)[1])},
			"plusieurs organisations (ville : ENF ; ville-b : ENFB)"},
		{"households alone on a server of two", "", []exchange.File{csvFile("foyers.csv", strings.ReplaceAll(foyers, "F", "N"))},
			"plusieurs organisations : précisez laquelle"},
		{"a household id of the other city", "ville-b", []exchange.File{csvFile("foyers.csv", strings.Replace(foyers, "A0001", "Z0001", 1))},
			"l'identifiant de foyer F1 est déjà celui d'un foyer d'une autre organisation"},
		{"an invoice id of the other city", "", []exchange.File{csvFile("factures.csv", strings.Replace(facturesB, "J1;", "I1;", 2))},
			"l'identifiant de facture I1 est déjà celui d'une facture d'une autre organisation"},
		{"the other city's household in an invoice", "", []exchange.File{csvFile("factures.csv", strings.Replace(facturesB, ";B2;", ";F2;", 1))},
			"foyer inconnu : F2"},
		{"régies not of the organisation named", "ville", []exchange.File{csvFile("factures.csv", facturesB)},
			"sont de l'organisation ville-b, pas de ville"},
	} {
		_, err := exchange.ImportIn(ctx, st, c.org, c.files)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "rien n'a été enregistré") {
			t.Errorf("%s: %v", c.name, err)
		}
		if h, i := counts(t, st); h != h0 || i != i0 {
			t.Errorf("%s wrote rows: %d households, %d invoices", c.name, h, i)
		}
	}
	// Households alone, the organisation named.
	if _, err := exchange.ImportIn(ctx, st, "ville-b", []exchange.File{csvFile("foyers.csv", strings.NewReplacer("B", "C", "A000", "C000").Replace(foyersB))}); err != nil {
		t.Fatal(err)
	}
}
