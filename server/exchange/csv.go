package exchange

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/regie-fr/regie"
)

// The CSV files an import takes, recognised by their header row (columns in
// any order, case ignored; a column marked * may be left out).
//
//	foyers:   id_foyer;compte;nom;adresse*;code_acces*
//	membres:  id_foyer;prenom;nom;date_naissance*;titulaire*
//	factures: id_facture;numero;id_foyer;regie;libelle;emise_le*;echeance_le*;
//	          ligne;beneficiaire*;periode*;quantite;prix_unitaire;montant
//
// A factures file has one row per invoice line; the invoice's columns are
// repeated on each of its rows and must agree. Its amount is the sum of its
// lines. Amounts are written as French tools write them (12,50 or 1 234,50).
var csvKinds = []struct {
	kind     string
	required []string
	optional []string
}{
	{"factures", []string{"id_facture", "numero", "id_foyer", "regie", "libelle", "ligne", "quantite", "prix_unitaire", "montant"},
		[]string{"emise_le", "echeance_le", "beneficiaire", "periode"}},
	{"membres", []string{"id_foyer", "prenom", "nom"}, []string{"date_naissance", "titulaire"}},
	{"foyers", []string{"id_foyer", "compte", "nom"}, []string{"adresse", "code_acces"}},
}

// readCSV reads one CSV file into b, adding a problem for every bad line.
func readCSV(f File, b *batch, ps *problems) {
	text, ok := decodeText(f.Name, f.Data, f.Encoding, ps)
	if !ok {
		return
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = ';'
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		ps.add(f.Name, 1, "en-tête illisible : %v", csvMotif(err))
		return
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.ToLower(strings.TrimSpace(h))] = i
	}
	kind := ""
	for _, k := range csvKinds {
		if _, ok := cols[k.required[0]]; ok && (k.kind != "foyers" || hasCol(cols, "compte")) && (k.kind != "membres" || hasCol(cols, "prenom")) {
			kind = k.kind
			bad := false
			for _, c := range k.required {
				if !hasCol(cols, c) {
					ps.add(f.Name, 1, "colonne obligatoire « %s » absente de l'en-tête", c)
					bad = true
				}
			}
			known := map[string]bool{}
			for _, c := range append(append([]string{}, k.required...), k.optional...) {
				known[c] = true
			}
			for _, h := range header {
				if name := strings.ToLower(strings.TrimSpace(h)); !known[name] {
					ps.add(f.Name, 1, "colonne inconnue « %s » (attendues : %s)", h, strings.Join(append(append([]string{}, k.required...), k.optional...), ";"))
					bad = true
				}
			}
			if bad {
				return
			}
			break
		}
	}
	if kind == "" {
		ps.add(f.Name, 1, "en-tête non reconnu : un fichier de foyers commence par id_foyer;compte;nom, de membres par id_foyer;prenom;nom, de factures par id_facture;numero;id_foyer…")
		return
	}
	r.FieldsPerRecord = len(header)
	invoices := map[string]*invoiceRec{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			ps.add(f.Name, line, "%s", csvMotif(err))
			continue
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		row := csvRow{file: f.Name, line: line, rec: rec, cols: cols, ps: ps}
		switch kind {
		case "foyers":
			row.household(b)
		case "membres":
			row.member(b)
		case "factures":
			row.invoiceLine(b, invoices)
		}
	}
}

func hasCol(cols map[string]int, c string) bool { _, ok := cols[c]; return ok }

func csvMotif(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrFieldCount):
			return "nombre de colonnes différent de l'en-tête (un point-virgule en trop ou en moins ?)"
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			return "guillemets mal placés"
		}
	}
	return err.Error()
}

// csvRow is one data row with what is needed to read its columns by name.
type csvRow struct {
	file string
	line int
	rec  []string
	cols map[string]int
	ps   *problems
	bad  bool
}

func (r *csvRow) get(col string) string {
	if i, ok := r.cols[col]; ok && i < len(r.rec) {
		return strings.TrimSpace(r.rec[i])
	}
	return ""
}

func (r *csvRow) fail(format string, args ...any) {
	r.ps.add(r.file, r.line, format, args...)
	r.bad = true
}

// need reads a column that may not be empty.
func (r *csvRow) need(col string) string {
	v := r.get(col)
	if v == "" {
		r.fail("« %s » est vide", col)
	}
	return v
}

func (r *csvRow) money(col string) regie.Money {
	v := r.get(col)
	m, err := regie.ParseMoney(v)
	if err != nil {
		r.fail("%s : %s", col, regie.ErrorMessage(err))
	}
	return m
}

func (r *csvRow) date(col string) string {
	d, ok := parseDate(r.get(col))
	if !ok {
		r.fail("%s : date invalide « %s » (JJ/MM/AAAA ou AAAA-MM-JJ)", col, r.get(col))
	}
	return d
}

func (r *csvRow) household(b *batch) {
	h := regie.Household{ID: r.need("id_foyer"), Account: r.need("compte"), Name: r.need("nom"),
		Address: r.get("adresse"), AccessCode: r.get("code_acces")}
	if !r.bad {
		b.households = append(b.households, householdRec{file: r.file, line: r.line, h: h})
	}
}

func (r *csvRow) member(b *batch) {
	m := regie.Member{FirstName: r.need("prenom"), LastName: r.need("nom"), BirthDate: r.date("date_naissance")}
	holder, ok := parseBool(r.get("titulaire"))
	if !ok {
		r.fail("titulaire : « %s » n'est ni oui ni non", r.get("titulaire"))
	}
	m.Holder = holder
	id := r.need("id_foyer")
	if !r.bad {
		b.members = append(b.members, memberRec{file: r.file, line: r.line, household: id, m: m})
	}
}

func (r *csvRow) invoiceLine(b *batch, seen map[string]*invoiceRec) {
	id := r.need("id_facture")
	inv := regie.Invoice{ID: id, Number: r.need("numero"), HouseholdID: r.need("id_foyer"), Label: r.need("libelle"),
		IssuedOn: r.date("emise_le"), DueOn: r.date("echeance_le")}
	regieCode := r.need("regie")
	line := regie.InvoiceLine{Label: r.need("ligne"), Beneficiary: r.get("beneficiaire"), Period: r.get("periode"),
		UnitPrice: r.money("prix_unitaire"), Amount: r.money("montant")}
	q, err := strconv.Atoi(r.get("quantite"))
	if err != nil || q < 1 {
		r.fail("quantite : « %s » n'est pas un nombre entier positif", r.get("quantite"))
	}
	line.Quantity = q
	if !r.bad && line.UnitPrice*regie.Money(q) != line.Amount {
		r.fail("montant %s différent de %d × %s", line.Amount, q, line.UnitPrice)
	}
	if r.bad {
		return
	}
	rec := seen[id]
	if rec == nil {
		rec = &invoiceRec{file: r.file, line: r.line, regie: regieCode, inv: inv, given: -1}
		seen[id] = rec
		b.invoices = append(b.invoices, rec)
	} else if rec.regie != regieCode || rec.inv.Number != inv.Number || rec.inv.HouseholdID != inv.HouseholdID ||
		rec.inv.Label != inv.Label || rec.inv.IssuedOn != inv.IssuedOn || rec.inv.DueOn != inv.DueOn {
		r.fail("la facture %s a d'autres numéro, foyer, régie, libellé ou dates qu'à la ligne %d", id, rec.line)
		return
	}
	rec.inv.Lines = append(rec.inv.Lines, line)
	rec.inv.Amount += line.Amount
}
