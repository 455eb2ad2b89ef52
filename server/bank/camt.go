package bank

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"github.com/regie-fr/regie"
)

// camtNS is the namespace of every camt.053 version; .001.02 (the one
// French banks send most) up to .001.13 share what is read here.
var camtNS = regexp.MustCompile(`^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d\d)$`)

// ParseCAMT reads an ISO 20022 camt.053 statement with encoding/xml. Every
// entry must be booked (Sts BOOK), in euros, with its dates, amount,
// direction and a reference of the bank's (AcctSvcrRef, else NtryRef); an
// entry booking several transactions gives one Entry per transaction,
// referenced "<entry ref>/<transaction's AcctSvcrRef or rank>". Anything
// missing or malformed refuses the whole file.
func ParseCAMT(data []byte) (*Statement, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	var doc camtDocument
	if err := d.Decode(&doc); err != nil {
		return nil, xmlRefusal(err)
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, xmlRefusal(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) == 0 {
				continue
			}
		case xml.Comment, xml.ProcInst:
			continue
		}
		return nil, refuse("Fichier camt.053 illisible : du contenu suit la fin du document.")
	}
	m := camtNS.FindStringSubmatch(doc.XMLName.Space)
	if m == nil {
		return nil, refuse("Ce fichier XML n'est pas un relevé camt.053 (espace de noms « %s »).", clip(doc.XMLName.Space, 80))
	}
	if v, _ := strconv.Atoi(m[1]); v < 2 || v > 13 {
		return nil, refuse("Version camt.053.001.%s non prise en charge (de .001.02 à .001.13).", m[1])
	}
	if len(doc.Stmts) == 0 {
		return nil, refuse("Le relevé camt.053 ne contient aucun relevé de compte (Stmt).")
	}
	s := &Statement{Format: "camt.053.001." + m[1]}
	n := 0
	for i, st := range doc.Stmts {
		iban := NormIBAN(st.IBAN)
		if i == 0 {
			s.IBAN, s.ID = iban, strings.TrimSpace(st.ID)
		} else if iban != s.IBAN {
			return nil, refuse("Le fichier mêle les relevés de deux comptes (%s et %s) : importez-les séparément.", s.IBAN, clip(iban, 40))
		}
		if c := strings.TrimSpace(st.Ccy); c != "" && c != "EUR" {
			return nil, refuse("Le compte %s est tenu en %s : seuls les comptes en euros sont pris en charge.", iban, clip(c, 5))
		}
		if day, ok := camtDay(camtDate{DtTm: st.FrDtTm}); ok && (s.From == "" || day < s.From) {
			s.From = day
		}
		if day, ok := camtDay(camtDate{DtTm: st.ToDtTm}); ok && day > s.To {
			s.To = day
		}
		for _, ne := range st.Ntries {
			n++
			es, err := camtEntries(&ne, n)
			if err != nil {
				return nil, err
			}
			s.Entries = append(s.Entries, es...)
			if len(s.Entries) > MaxEntries {
				return nil, refuse("Le relevé contient plus de %d écritures : découpez-le par période.", MaxEntries)
			}
		}
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// camtEntries turns one <Ntry> (the n-th of the file) into its entries.
func camtEntries(ne *camtEntry, n int) ([]Entry, error) {
	pos := fmt.Sprintf("écriture n° %d", n)
	fail := func(format string, args ...any) error {
		return refuse("Écriture n° %d : %s", n, fmt.Sprintf(format, args...))
	}
	status := strings.TrimSpace(ne.Sts.Cd)
	if status == "" {
		status = strings.TrimSpace(ne.Sts.Text)
	}
	if status != "BOOK" {
		return nil, fail("statut « %s » (seules les écritures comptabilisées, BOOK, figurent sur un relevé).", clip(status, 10))
	}
	amount, ok := parseXMLAmount(ne.Amt.Value)
	if !ok {
		return nil, fail("montant « %s » illisible.", clip(strings.TrimSpace(ne.Amt.Value), 30))
	}
	if c := strings.TrimSpace(ne.Amt.Ccy); c != "EUR" {
		return nil, fail("montant en « %s » : seuls les euros sont pris en charge.", clip(c, 5))
	}
	dir, ok := camtDirection(ne.CdtDbtInd)
	if !ok {
		return nil, fail("sens « %s » inconnu (CRDT ou DBIT).", clip(ne.CdtDbtInd, 10))
	}
	booking, ok := camtDay(ne.BookgDt)
	if !ok {
		return nil, fail("date de comptabilisation (BookgDt) absente ou invalide.")
	}
	value, ok := camtDay(ne.ValDt)
	if !ok && (ne.ValDt.Dt != "" || ne.ValDt.DtTm != "") {
		return nil, fail("date de valeur (ValDt) invalide.")
	}
	reversal := strings.TrimSpace(ne.RvslInd) == "true"
	ref := strings.TrimSpace(ne.AcctSvcrRef)
	if ref == "" {
		ref = strings.TrimSpace(ne.NtryRef)
	}
	base := Entry{Pos: pos, BookingDay: booking, ValueDay: value, Amount: amount, Direction: dir}
	if len(ne.TxDtls) <= 1 {
		e := base
		e.Ref = ref
		var tx *camtTxDtls
		if len(ne.TxDtls) == 1 {
			tx = &ne.TxDtls[0]
			if e.Ref == "" {
				e.Ref = strings.TrimSpace(tx.AcctSvcrRef)
			}
		}
		describe(&e, ne, tx, reversal)
		if blank(e.Ref) {
			return nil, fail("sans référence de la banque (AcctSvcrRef ou NtryRef).")
		}
		return []Entry{e}, nil
	}
	if ref == "" {
		return nil, fail("sans référence de la banque (AcctSvcrRef ou NtryRef).")
	}
	keys := txKeys(ne.TxDtls)
	var sum regie.Money
	out := make([]Entry, 0, len(ne.TxDtls))
	for i := range ne.TxDtls {
		tx := &ne.TxDtls[i]
		e := base
		e.Ref, e.Pos = ref+"/"+keys[i], fmt.Sprintf("%s, transaction %d", pos, i+1)
		raw := tx.Amt
		if strings.TrimSpace(raw.Value) == "" {
			raw = tx.TxAmt
		}
		a, ok := parseXMLAmount(raw.Value)
		if !ok || a <= 0 {
			return nil, fail("transaction %d : montant « %s » illisible.", i+1, clip(strings.TrimSpace(raw.Value), 30))
		}
		if c := strings.TrimSpace(raw.Ccy); c != "" && c != "EUR" {
			return nil, fail("transaction %d : montant en « %s ».", i+1, clip(c, 5))
		}
		if ind := strings.TrimSpace(tx.CdtDbtInd); ind != "" {
			if d, ok := camtDirection(ind); !ok || d != dir {
				return nil, fail("transaction %d : son sens n'est pas celui de l'écriture.", i+1)
			}
		}
		e.Amount, sum = a, sum+a
		describe(&e, ne, tx, reversal)
		out = append(out, e)
	}
	if sum != amount {
		return nil, fail("ses transactions font %s, l'écriture %s.", sum, amount)
	}
	return out, nil
}

// txKeys names each transaction of a batch entry: its own AcctSvcrRef when
// every one has a distinct one, else its rank (1, 2…) in the entry.
func txKeys(txs []camtTxDtls) []string {
	keys := make([]string, len(txs))
	seen := map[string]bool{}
	for i := range txs {
		k := strings.TrimSpace(txs[i].AcctSvcrRef)
		if k == "" || seen[k] {
			for j := range keys {
				keys[j] = strconv.Itoa(j + 1)
			}
			return keys
		}
		seen[k], keys[i] = true, k
	}
	return keys
}

// describe fills an entry's mode, code, remitter and remittance
// information from its transaction's details (or the entry's).
func describe(e *Entry, ne *camtEntry, tx *camtTxDtls, reversal bool) {
	code := ne.BkTxCd
	var parts []string
	if tx != nil {
		if tx.BkTxCd != (camtTxCode{}) {
			code = tx.BkTxCd
		}
		party := tx.Dbtr
		if party.name() == "" {
			party = tx.UltmtDbtr
		}
		if e.Direction == Debit {
			party = tx.Cdtr
		}
		e.Remitter = party.name()
		parts = append(parts, tx.Ustrd...)
		parts = append(parts, tx.StrdRefs...)
		if len(parts) == 0 && tx.AddtlTxInf != "" {
			parts = append(parts, tx.AddtlTxInf)
		}
	}
	if len(parts) == 0 && ne.AddtlInf != "" {
		parts = append(parts, ne.AddtlInf)
	}
	e.Remittance = strings.Join(parts, " ")
	e.Mode, e.Code = camtMode(code)
	if reversal {
		e.Mode, e.Code = "", "extourne "+e.Code
	}
}

// camtMode reads the bank transaction code: ISO's domain PMNT with family
// RCDT/ICDT is a SEPA credit transfer, IDDT/RDDT a direct debit; a
// proprietary code is read by its usual French keywords. Anything else
// (cheques, cash, fees, interest) has no mode: it never becomes a payment.
func camtMode(c camtTxCode) (regie.PaymentMode, string) {
	domn, fmly, sub, prtry := up(c.Domn), up(c.Fmly), up(c.SubFmly), up(c.Prtry)
	if domn != "" {
		code := strings.Trim(domn+"/"+fmly+"/"+sub, "/")
		if domn == "PMNT" {
			switch fmly {
			case "RCDT", "ICDT":
				return regie.Transfer, code
			case "IDDT", "RDDT":
				return regie.DirectDebit, code
			}
		}
		return "", code
	}
	return keywordMode(prtry), clip(prtry, 60)
}

// keywordMode recognises a transfer or a direct debit by the words French
// banks use in proprietary codes and labels.
func keywordMode(s string) regie.PaymentMode {
	for _, w := range strings.FieldsFunc(up(s), func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }) {
		switch w {
		case "PRLV", "PRELEVEMENT", "PRELEV", "SDD", "ESDD", "BBDD", "DD":
			return regie.DirectDebit
		case "VIR", "VIREMENT", "VRT", "SCT", "ESCT", "TRF":
			return regie.Transfer
		}
	}
	return ""
}

func up(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

func camtDirection(s string) (Direction, bool) {
	switch strings.TrimSpace(s) {
	case "CRDT":
		return Credit, true
	case "DBIT":
		return Debit, true
	}
	return "", false
}

// camtDay is a date's day: <Dt> as is, or the date part of <DtTm> (the
// bank's local day, as it writes it).
func camtDay(d camtDate) (string, bool) {
	s := strings.TrimSpace(d.Dt)
	if s == "" {
		s = strings.TrimSpace(d.DtTm)
		if len(s) < 10 {
			return "", false
		}
		s = s[:10]
	}
	day, err := parseISODay(s)
	return day, err == nil
}

// charsetReader lets a statement declared in ISO-8859-1/15 or
// Windows-1252 be read; encoding/xml reads UTF-8 only by itself.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "latin1", "latin-1":
		return charmap.ISO8859_1.NewDecoder().Reader(in), nil
	case "iso-8859-15":
		return charmap.ISO8859_15.NewDecoder().Reader(in), nil
	case "windows-1252", "cp1252":
		return charmap.Windows1252.NewDecoder().Reader(in), nil
	}
	return nil, fmt.Errorf("encoding %q", label)
}

// xmlRefusal is the French sentence for a decoding failure, with the line
// where the XML breaks.
func xmlRefusal(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return refuse("Fichier camt.053 illisible : XML mal formé à la ligne %d.", se.Line)
	}
	if errors.Is(err, io.EOF) {
		return refuse("Fichier camt.053 vide.")
	}
	var ue xml.UnmarshalError
	if errors.As(err, &ue) {
		return refuse("Fichier camt.053 illisible : %s.", clip(string(ue), 100))
	}
	return refuse("Fichier camt.053 illisible (encodage non pris en charge, ou ce n'est pas un relevé).")
}
