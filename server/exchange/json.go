package exchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/regie-fr/regie"
)

// The JSON an import takes: one object with either list or both, amounts in
// integer cents, dates as YYYY-MM-DD.
//
//	{"households": [{"id", "account", "name", "address", "access_code",
//	                 "members": [{"first_name", "last_name", "birth_date", "holder"}]}],
//	 "invoices":   [{"id", "number", "household_id", "regie", "label", "issued_on", "due_on",
//	                 "amount" (optional, checked), "lines": [{"label", "beneficiary", "period",
//	                 "quantity", "unit_price", "amount"}]}]}
//
// A household given here comes with its whole list of members.
type jsonHousehold struct {
	ID         string `json:"id"`
	Account    string `json:"account"`
	Name       string `json:"name"`
	Address    string `json:"address"`
	AccessCode string `json:"access_code"`
	Members    []struct {
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		BirthDate string `json:"birth_date"`
		Holder    bool   `json:"holder"`
	} `json:"members"`
}

type jsonInvoice struct {
	ID          string `json:"id"`
	Number      string `json:"number"`
	HouseholdID string `json:"household_id"`
	Regie       string `json:"regie"`
	Label       string `json:"label"`
	IssuedOn    string `json:"issued_on"`
	DueOn       string `json:"due_on"`
	Amount      *int64 `json:"amount"`
	Lines       []struct {
		Label       string `json:"label"`
		Beneficiary string `json:"beneficiary"`
		Period      string `json:"period"`
		Quantity    int    `json:"quantity"`
		UnitPrice   int64  `json:"unit_price"`
		Amount      int64  `json:"amount"`
	} `json:"lines"`
}

// readJSON reads one JSON file into b. Each household and invoice is decoded
// on its own, so that one of the wrong type is reported with its line and
// the others are still checked.
func readJSON(f File, b *batch, ps *problems) {
	data := bytes.TrimPrefix(f.Data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		ps.add(f.Name, 0, "un fichier JSON doit être en UTF-8")
		return
	}
	lineAt := func(off int64) int { return 1 + bytes.Count(data[:min(int(off), len(data))], []byte("\n")) }
	// startAt skips what separates values, to find the line a value starts on.
	startAt := func(off int64) int64 {
		for off < int64(len(data)) && bytes.IndexByte([]byte(" \t\r\n,"), data[off]) >= 0 {
			off++
		}
		return off
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	fatal := func(err error) {
		var se *json.SyntaxError
		off := dec.InputOffset()
		if errors.As(err, &se) {
			off = se.Offset
		}
		ps.add(f.Name, lineAt(off), "JSON illisible : %v", err)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		if err == nil {
			err = fmt.Errorf("un objet {\"households\": […], \"invoices\": […]} est attendu")
		}
		fatal(err)
		return
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			fatal(err)
			return
		}
		key, _ := tok.(string)
		if key != "households" && key != "invoices" {
			ps.add(f.Name, lineAt(dec.InputOffset()), "clé inconnue « %v » (households ou invoices)", tok)
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				fatal(err)
				return
			}
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			if err == nil {
				err = fmt.Errorf("« %s » doit être une liste", key)
			}
			fatal(err)
			return
		}
		for dec.More() {
			line := lineAt(startAt(dec.InputOffset()))
			var err error
			if key == "households" {
				var h jsonHousehold
				if err = dec.Decode(&h); err == nil {
					jsonHouseholdRec(f.Name, line, &h, b, ps)
				}
			} else {
				var inv jsonInvoice
				if err = dec.Decode(&inv); err == nil {
					jsonInvoiceRec(f.Name, line, &inv, b, ps)
				}
			}
			var te *json.UnmarshalTypeError
			switch {
			case errors.As(err, &te):
				ps.add(f.Name, line, "le champ « %s » n'a pas le bon type (%s attendu, montants en centimes entiers)", te.Field, te.Type)
			case err != nil && !errors.Is(err, io.EOF) && isUnknownField(err):
				ps.add(f.Name, line, "%v", err)
			case err != nil:
				fatal(err)
				return
			}
		}
		if _, err := dec.Token(); err != nil {
			fatal(err)
			return
		}
	}
}

func isUnknownField(err error) bool {
	return bytes.Contains([]byte(err.Error()), []byte("unknown field"))
}

func jsonHouseholdRec(file string, line int, j *jsonHousehold, b *batch, ps *problems) {
	h := regie.Household{ID: j.ID, Account: j.Account, Name: j.Name, Address: j.Address, AccessCode: j.AccessCode}
	bad := false
	for _, m := range j.Members {
		d, ok := parseDate(m.BirthDate)
		if !ok || m.FirstName == "" || m.LastName == "" {
			ps.add(file, line, "membre « %s %s » : prénom, nom et date de naissance (AAAA-MM-JJ) à vérifier", m.FirstName, m.LastName)
			bad = true
		}
		h.Members = append(h.Members, regie.Member{FirstName: m.FirstName, LastName: m.LastName, BirthDate: d, Holder: m.Holder})
	}
	for _, f := range []struct{ name, v string }{{"id", h.ID}, {"account", h.Account}, {"name", h.Name}} {
		if f.v == "" {
			ps.add(file, line, "« %s » est vide", f.name)
			bad = true
		}
	}
	if !bad {
		b.households = append(b.households, householdRec{file: file, line: line, h: h, withMembers: true})
	}
}

func jsonInvoiceRec(file string, line int, j *jsonInvoice, b *batch, ps *problems) {
	inv := regie.Invoice{ID: j.ID, Number: j.Number, HouseholdID: j.HouseholdID, Label: j.Label}
	bad := false
	fail := func(format string, args ...any) { ps.add(file, line, format, args...); bad = true }
	for _, f := range []struct{ name, v string }{{"id", j.ID}, {"number", j.Number}, {"household_id", j.HouseholdID},
		{"regie", j.Regie}, {"label", j.Label}} {
		if f.v == "" {
			fail("« %s » est vide", f.name)
		}
	}
	var ok bool
	if inv.IssuedOn, ok = parseDate(j.IssuedOn); !ok {
		fail("issued_on : date invalide « %s »", j.IssuedOn)
	}
	if inv.DueOn, ok = parseDate(j.DueOn); !ok {
		fail("due_on : date invalide « %s »", j.DueOn)
	}
	if len(j.Lines) == 0 {
		fail("la facture %s n'a aucune ligne", j.ID)
	}
	for i, l := range j.Lines {
		if l.Label == "" || l.Quantity < 1 || l.UnitPrice < 0 || l.Amount < 0 || l.UnitPrice*int64(l.Quantity) != l.Amount {
			fail("ligne de facture n° %d : libellé, quantité (≥ 1) et montant = quantité × prix unitaire à vérifier", i+1)
		}
		inv.Lines = append(inv.Lines, regie.InvoiceLine{Label: l.Label, Beneficiary: l.Beneficiary, Period: l.Period,
			Quantity: l.Quantity, UnitPrice: regie.Money(l.UnitPrice), Amount: regie.Money(l.Amount)})
		inv.Amount += regie.Money(l.Amount)
	}
	given := regie.Money(-1)
	if j.Amount != nil {
		given = regie.Money(*j.Amount)
		if given != inv.Amount {
			fail("montant %s différent de la somme des lignes %s", given, inv.Amount)
		}
	}
	if !bad {
		b.invoices = append(b.invoices, &invoiceRec{file: file, line: line, regie: j.Regie, inv: inv, given: given})
	}
}
