package bank

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// The CSV exports of French banks differ in their columns but agree on the
// rest: ";" between fields, amounts as "1 234,56" (signed, or in a Débit
// and a Crédit column), dates as dd/mm/yyyy, UTF-8 or Windows-1252. A few
// lines before the header name the account; one of them must give its
// IBAN ("IBAN;FR76 …"). The header is the first line with a date column and
// an amount column (or débit and crédit); the columns are recognised by
// their names, accents and case ignored, in any order; the others
// (catégorie, solde…) are ignored.
var csvColumns = map[string][]string{
	"date":      {"date", "date operation", "date de l'operation", "date d'operation", "date comptable", "date de comptabilisation", "date de l'ecriture"},
	"valeur":    {"date de valeur", "date valeur"},
	"libelle":   {"libelle", "libelle operation", "libelle de l'operation", "libelle simplifie", "intitule"},
	"detail":    {"detail", "detail de l'ecriture", "informations complementaires", "motif", "libelle complementaire", "reference de l'operation client"},
	"montant":   {"montant", "montant(euros)", "montant (euros)", "montant en euros", "montant de l'operation", "montant operation"},
	"debit":     {"debit", "debit euros", "debit (euros)", "debit en euros"},
	"credit":    {"credit", "credit euros", "credit (euros)", "credit en euros"},
	"reference": {"reference", "reference de l'operation", "numero d'operation", "reference banque"},
	"emetteur":  {"emetteur", "tiers", "donneur d'ordre", "nom du tiers"},
}

// ParseCSV reads a CSV export of the account. Each line after the header is
// an entry; its reference is the "Référence" column when the bank gives
// one, otherwise a key made from what the line says (account, dates,
// amount, label) and its rank among identical lines of the file: the same
// line exported again — in a later, overlapping export — gets the same
// key, so it is recognised as already imported.
func ParseCSV(data []byte) (*Statement, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = ';', -1, false
	s := &Statement{Format: "csv"}
	var cols map[string]int
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, refuse("Ligne %d : ligne CSV mal formée (guillemets).", pe.StartLine)
			}
			return nil, refuse("Fichier CSV illisible.")
		}
		if emptyRecord(rec) {
			continue
		}
		line, _ := r.FieldPos(0)
		if cols == nil {
			if c := csvHeader(rec); c != nil {
				if s.IBAN == "" {
					return nil, refuse("Ligne %d : l'IBAN du compte doit figurer avant l'en-tête (une ligne « IBAN;FR76… »).", line)
				}
				cols = c
				continue
			}
			if iban := preambleIBAN(rec); iban != "" {
				s.IBAN = iban
			}
			continue
		}
		e, err := csvEntry(rec, cols, line)
		if err != nil {
			return nil, err
		}
		if e.Ref == "" {
			k := strings.Join([]string{s.IBAN, e.BookingDay, e.ValueDay, string(e.Direction), e.Amount.FormatPlain(), e.Code, e.Remittance}, "\x00")
			seen[k]++
			sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d", k, seen[k])))
			e.Ref = "CSV-" + hex.EncodeToString(sum[:10])
		}
		s.Entries = append(s.Entries, e)
		if len(s.Entries) > MaxEntries {
			return nil, refuse("Le relevé contient plus de %d écritures : découpez-le par période.", MaxEntries)
		}
	}
	if cols == nil {
		return nil, refuse("En-tête introuvable : le relevé CSV doit avoir une ligne d'en-tête avec une colonne Date et une colonne Montant (ou Débit et Crédit).")
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	return s, nil
}

func emptyRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvHeader recognises the header line: the columns it names, or nil.
func csvHeader(rec []string) map[string]int {
	cols := map[string]int{}
	for i, f := range rec {
		name := regie.FoldName(f)
		for key, names := range csvColumns {
			for _, n := range names {
				if name == regie.FoldName(n) {
					if _, dup := cols[key]; !dup {
						cols[key] = i
					}
				}
			}
		}
	}
	_, date := cols["date"]
	_, amount := cols["montant"]
	_, debit := cols["debit"]
	_, credit := cols["credit"]
	if !date || !amount && !(debit && credit) {
		return nil
	}
	return cols
}

// preambleIBAN finds an IBAN in a line before the header.
func preambleIBAN(rec []string) string {
	for _, f := range rec {
		if iban := NormIBAN(f); ValidIBAN(iban) {
			return iban
		}
	}
	return ""
}

// csvEntry reads one line into an entry; line is its number in the file.
func csvEntry(rec []string, cols map[string]int, line int) (Entry, error) {
	get := func(key string) string {
		if i, ok := cols[key]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	fail := func(format string, args ...any) error {
		return refuse("Ligne %d : %s", line, fmt.Sprintf(format, args...))
	}
	e := Entry{Pos: fmt.Sprintf("ligne %d", line), Ref: get("reference")}
	var ok bool
	if e.BookingDay, ok = frDay(get("date")); !ok {
		return e, fail("date « %s » illisible (attendu : JJ/MM/AAAA).", clip(get("date"), 20))
	}
	if v := get("valeur"); v != "" {
		if e.ValueDay, ok = frDay(v); !ok {
			return e, fail("date de valeur « %s » illisible (attendu : JJ/MM/AAAA).", clip(v, 20))
		}
	}
	if _, has := cols["montant"]; has && get("montant") != "" {
		m, err := regie.ParseSignedMoney(get("montant"))
		if err != nil {
			return e, fail("montant « %s » illisible.", clip(get("montant"), 30))
		}
		e.Amount, e.Direction = m, Credit
		if m < 0 {
			e.Amount, e.Direction = -m, Debit
		}
	} else {
		d, c := get("debit"), get("credit")
		if (d == "") == (c == "") {
			return e, fail("une opération a un montant au débit ou au crédit, pas les deux ni aucun.")
		}
		raw, dir := c, Credit
		if d != "" {
			raw, dir = d, Debit
		}
		m, err := regie.ParseSignedMoney(raw)
		if err != nil {
			return e, fail("montant « %s » illisible.", clip(raw, 30))
		}
		if m < 0 { // some banks write debits as negative numbers
			m = -m
		}
		e.Amount, e.Direction = m, dir
	}
	if e.Amount == 0 {
		return e, fail("montant nul.")
	}
	label, detail := get("libelle"), get("detail")
	e.Code = csvCode(label)
	e.Mode = keywordMode(e.Code)
	e.Remitter = get("emetteur")
	if e.Remitter == "" {
		e.Remitter = labelPart(label+" "+detail, "/DE ")
	}
	e.Remittance = strings.TrimSpace(label + " " + detail)
	return e, nil
}

// csvCode is the keyword that opens a French bank's label ("VIR SEPA",
// "PRLV SEPA", "REM CHQ"…): the code the entry's mode is read from.
func csvCode(label string) string {
	w := strings.Fields(up(label))
	if len(w) > 2 {
		w = w[:2]
	}
	return strings.Join(w, " ")
}

// labelPart is the text after marker in a label up to the next " /", as
// in "VIR SEPA RECU /DE LEFEVRE HELENE /MOTIF FAC-2026-00101".
func labelPart(label, marker string) string {
	i := strings.Index(strings.ToUpper(label), marker)
	if i < 0 {
		return ""
	}
	rest := label[i+len(marker):]
	if j := strings.Index(rest, " /"); j >= 0 {
		rest = rest[:j]
	}
	return strings.TrimSpace(rest)
}

// frDay reads dd/mm/yyyy (or dd/mm/yy, or already yyyy-mm-dd).
func frDay(s string) (string, bool) {
	for _, layout := range []string{"02/01/2006", "2/1/2006", "02/01/06", time.DateOnly, "02-01-2006", "02.01.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}
