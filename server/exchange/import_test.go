package exchange_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/exchange"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := regie.Regie{Code: "ENF", Name: "Régie Enfance", Modes: []regie.PaymentMode{regie.Cash}, DepositPeriodDays: 7}
	if err := st.Update(context.Background(), func(tx *store.Tx) error { return tx.SaveRegie(&r, true) }); err != nil {
		t.Fatal(err)
	}
	return st
}

const foyers = `id_foyer;compte;nom;adresse;code_acces
F1;A0001;Lefèvre Hélène;3 rue des Écoles;K7Q101X
F2;A0002;Nguyen Thomas;5 rue des Écoles;K7Q102X
`

const membres = `id_foyer;prenom;nom;date_naissance;titulaire
F1;Hélène;Lefèvre;12/05/1984;oui
F1;Chloé;Lefèvre;2017-09-03;non
F2;Thomas;Nguyen;;oui
`

const factures = `id_facture;numero;id_foyer;regie;libelle;emise_le;echeance_le;ligne;beneficiaire;periode;quantite;prix_unitaire;montant
I1;FAC-1;F1;ENF;Cantine octobre;05/11/2026;05/12/2026;Repas;Chloé;octobre 2026;16;3,85;61,60
I1;FAC-1;F1;ENF;Cantine octobre;05/11/2026;05/12/2026;Goûter;Chloé;octobre 2026;4;0,50;2,00
I2;FAC-2;F2;ENF;Garderie octobre;05/11/2026;05/12/2026;Garderie;;octobre 2026;20;1,60;32,00
`

func csvFile(name, text string) exchange.File { return exchange.File{Name: name, Data: []byte(text)} }

func counts(t *testing.T, st *store.Store) (households, invoices int) {
	t.Helper()
	st.QueryRow(`SELECT count(*) FROM households`).Scan(&households)
	st.QueryRow(`SELECT count(*) FROM invoices`).Scan(&invoices)
	return
}

func TestImportCSV(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	files := []exchange.File{csvFile("foyers.csv", foyers), csvFile("membres.csv", membres), csvFile("factures.csv", factures)}
	sum, err := exchange.Import(ctx, st, files)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Households != 2 || sum.Members != 3 || sum.Invoices != 2 {
		t.Fatalf("summary %+v", sum)
	}
	var h *regie.Household
	var inv *store.InvoiceState
	st.View(ctx, func(tx *store.Tx) (err error) {
		if h, err = tx.Household("F1"); err != nil {
			return err
		}
		inv, err = tx.Invoice("I1")
		return err
	})
	if h == nil || h.Name != "Lefèvre Hélène" || len(h.Members) != 2 || h.Members[0].BirthDate != "1984-05-12" || !h.Members[0].Holder {
		t.Fatalf("household %+v", h)
	}
	if inv == nil || inv.Amount != 63_60 || inv.Remaining != 63_60 || len(inv.Lines) != 2 || inv.DueOn != "2026-12-05" {
		t.Fatalf("invoice %+v", inv)
	}
	// Idempotent: the same files again change no row.
	var revs string
	snapshot := func() string {
		var s string
		st.QueryRow(`SELECT group_concat(rev) FROM (SELECT rev FROM households UNION ALL SELECT rev FROM invoices)`).Scan(&s)
		return s
	}
	revs = snapshot()
	if _, err := exchange.Import(ctx, st, files); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(); got != revs {
		t.Fatalf("re-import changed rows: %s → %s", revs, got)
	}
	// A household alone keeps its members; an upsert changes what changed.
	if _, err := exchange.Import(ctx, st, []exchange.File{csvFile("foyers.csv", strings.Replace(foyers, "3 rue", "4 rue", 1))}); err != nil {
		t.Fatal(err)
	}
	st.View(ctx, func(tx *store.Tx) (err error) { h, err = tx.Household("F1"); return err })
	if h.Address != "4 rue des Écoles" || len(h.Members) != 2 {
		t.Fatalf("after the upsert: %+v", h)
	}
}

func TestImportWindows1252AndJSON(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	ansi, err := charmap.Windows1252.NewEncoder().String(foyers)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exchange.Import(ctx, st, []exchange.File{csvFile("foyers.csv", ansi)}); err != nil {
		t.Fatal(err)
	}
	js := `{"invoices": [
  {"id": "I9", "number": "FAC-9", "household_id": "F2", "regie": "ENF", "label": "Piscine", "due_on": "2026-12-31",
   "amount": 840, "lines": [{"label": "Entrée", "quantity": 2, "unit_price": 420, "amount": 840}]}
]}`
	if _, err := exchange.Import(ctx, st, []exchange.File{{Name: "factures.json", Data: []byte(js)}}); err != nil {
		t.Fatal(err)
	}
	var h *regie.Household
	var inv *store.InvoiceState
	st.View(ctx, func(tx *store.Tx) (err error) {
		if h, err = tx.Household("F1"); err != nil {
			return err
		}
		inv, err = tx.Invoice("I9")
		return err
	})
	if h.Name != "Lefèvre Hélène" || h.Address != "3 rue des Écoles" {
		t.Fatalf("Windows-1252 read as %q %q", h.Name, h.Address)
	}
	if inv == nil || inv.Amount != 8_40 || inv.HouseholdID != "F2" {
		t.Fatalf("JSON invoice %+v", inv)
	}
}

// TestImportRefusesBadFilesWhole: each file has bad lines; the import is
// refused with every bad line's number and reason, and nothing is written —
// not even the good files imported with it.
func TestImportRefusesBadFilesWhole(t *testing.T) {
	head := strings.SplitN(factures, "\n", 2)[0] + "\n"
	row := func(id, num, foyer, qty, unit, amount string) string {
		return id + ";" + num + ";" + foyer + ";ENF;Cantine;05/11/2026;05/12/2026;Repas;;;" + qty + ";" + unit + ";" + amount + "\n"
	}
	mixed := "id_foyer;compte;nom\nF1;A0001;Lefèvre\n" + "F2;A0002;L\xe9a\n" + "F3;A0003;Zo\xe9\n"
	for _, tc := range []struct {
		name  string
		file  exchange.File
		lines []int
		motif string
	}{
		{"wrong column", csvFile("factures.csv", strings.Replace(head, "montant", "montnat", 1)+row("I1", "N1", "F1", "1", "1,00", "1,00")),
			[]int{1, 1}, "montant"},
		{"bad amount", csvFile("factures.csv", head+row("I1", "N1", "F1", "1", "1,00", "1,00")+row("I2", "N2", "F1", "1", "12,5O", "12,5O")+
			row("I3", "N3", "F1", "2", "1,00", "2,00")+row("I4", "N4", "F1", "1", "3,00", "-3,00")), []int{3, 3, 5}, "12,5O"},
		{"unknown household", csvFile("factures.csv", head+row("I1", "N1", "F1", "1", "1,00", "1,00")+row("I2", "N2", "F404", "1", "1,00", "1,00")),
			[]int{3}, "F404"},
		{"duplicate invoice", csvFile("factures.csv", head+row("I1", "N1", "F1", "1", "1,00", "1,00")+row("I2", "N1", "F1", "1", "1,00", "1,00")+
			row("I1", "N9", "F1", "1", "1,00", "1,00")), []int{3, 4}, "N1"},
		{"wrong column count", csvFile("factures.csv", head+row("I1", "N1", "F1", "1", "1,00", "1,00")+"I2;N2;F1\n"), []int{3}, "colonnes"},
		{"mixed encodings", csvFile("foyers.csv", mixed), []int{3, 4}, "encodage"},
		{"UTF-8 announced, Windows-1252 given", exchange.File{Name: "foyers.csv", Data: []byte("id_foyer;compte;nom\nF2;A0002;L\xe9a\n"), Encoding: "utf-8"},
			[]int{2}, "UTF-8"},
		{"UTF-16", csvFile("foyers.csv", "\xff\xfei\x00d\x00"), []int{0}, "UTF-16"},
		{"JSON wrong type", exchange.File{Name: "f.json", Data: []byte("{\"invoices\": [\n {\"id\": \"I1\", \"number\": \"N1\", \"household_id\": \"F1\", \"regie\": \"ENF\", \"label\": \"x\", \"lines\": [{\"label\": \"x\", \"quantity\": 1, \"unit_price\": \"12,50\", \"amount\": 1250}]},\n {\"id\": \"I2\", \"number\": \"N2\", \"household_id\": \"F9\", \"regie\": \"ENF\", \"label\": \"x\", \"lines\": [{\"label\": \"x\", \"quantity\": 1, \"unit_price\": 100, \"amount\": 100}]}\n]}")},
			[]int{2, 3}, "unit_price"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newStore(t)
			files := []exchange.File{csvFile("foyers.csv", foyers), tc.file}
			_, err := exchange.Import(context.Background(), st, files)
			var ref *exchange.Refused
			if !errors.As(err, &ref) {
				t.Fatalf("want a refusal, got %v", err)
			}
			var lines []int
			for _, p := range ref.Problems {
				if p.File == tc.file.Name {
					lines = append(lines, p.Line)
				}
			}
			if !equal(lines, tc.lines) || !strings.Contains(err.Error(), tc.motif) {
				t.Fatalf("lines %v, want %v; message:\n%s", lines, tc.lines, err)
			}
			t.Log(err)
			if h, i := counts(t, st); h != 0 || i != 0 {
				t.Fatalf("%d households and %d invoices written by a refused import", h, i)
			}
		})
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
