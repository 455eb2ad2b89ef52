package bank

import (
	"errors"
	"strings"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// TestImportCAMT: the demo's camt.053 statement. The credits that name one
// open invoice with its exact amount are recorded as payments of the
// régie's back-office counter GESTION (transfer or direct debit, the bank's
// reference as the tender's reference); a household named with several
// open invoices, and an amount that does not fit, are ambiguous; a credit
// naming nothing known is unmatched; the cheque remittance and the fees are
// listed and never paid.
func TestImportCAMT(t *testing.T) {
	e := newEnv(t)
	rep, err := e.importFile("enf-camt053-001-02.xml", "ENF")
	if err != nil {
		t.Fatal(err)
	}
	if rep.StatementID == "" || rep.Added != 9 || rep.Known != 0 || rep.Matched != 4 || rep.Ambiguous != 2 ||
		rep.Unmatched != 1 || rep.Other != 1 || rep.Debits != 1 {
		t.Fatalf("report %+v", rep)
	}
	outcomes := map[string]string{}
	for _, l := range rep.Lines {
		outcomes[l.Ref] = l.Outcome
	}
	want := map[string]string{"2026120100001": "matched", "2026120100002": "matched", "2026120100003": "ambiguous",
		"2026120100004": "ambiguous", "2026120100005": "unmatched", "2026120100006/PRLV-0001": "matched",
		"2026120100006/PRLV-0002": "matched", "2026120100007": "other", "2026120100008": "debit"}
	for ref, o := range want {
		if outcomes[ref] != o {
			t.Errorf("%s: %s, want %s", ref, outcomes[ref], o)
		}
	}
	for _, c := range []struct {
		ref, invoice, receipt string
		mode                  regie.PaymentMode
		amount                regie.Money
	}{
		{"2026120100001", "i-0001-1", "R-ENF-GESTION-2026-000001", regie.Transfer, 61_60},
		{"2026120100002", "i-0002-2", "R-ENF-GESTION-2026-000002", regie.Transfer, 32_00},
		{"2026120100006/PRLV-0001", "i-0005-3", "R-ENF-GESTION-2026-000003", regie.DirectDebit, 50_00},
		{"2026120100006/PRLV-0002", "i-0006-2", "R-ENF-GESTION-2026-000004", regie.DirectDebit, 32_00},
	} {
		p := e.payment(c.ref)
		if p == nil {
			t.Fatalf("%s: no payment", c.ref)
		}
		if p.Receipt != c.receipt || p.Counter != "GESTION" || p.Total != c.amount || len(p.Tenders) != 1 ||
			p.Tenders[0].Mode != c.mode || p.Tenders[0].Reference != c.ref || p.Allocations[0].InvoiceID != c.invoice || p.Agent != "s-0001" {
			t.Errorf("%s: payment %+v", c.ref, p)
		}
		if inv := e.invoice(c.invoice); inv.Remaining != 0 {
			t.Errorf("%s: %s remains %s", c.ref, c.invoice, inv.Remaining)
		}
		if d := e.entry(c.ref).Paid(); d == nil || d.Kind != "auto" || d.Receipt != c.receipt {
			t.Errorf("%s: decision %+v", c.ref, d)
		}
	}
	for _, ref := range []string{"2026120100003", "2026120100004", "2026120100005", "2026120100007", "2026120100008"} {
		if p := e.payment(ref); p != nil {
			t.Errorf("%s recorded as %s", ref, p.Receipt)
		}
	}
	if inv := e.invoice("i-0004-1"); inv.Remaining != 61_60 {
		t.Errorf("FAC-2026-00401 remains %s", inv.Remaining)
	}
	if c := e.entry("2026120100003").Candidates; len(c) != 3 {
		t.Errorf("candidates of the household's credit: %v", c)
	}
	e.verify()

	// The same file again: every entry "déjà importé", nothing written.
	before := e.dump()
	rep, err = e.importFile("enf-camt053-001-02.xml", "ENF")
	if err != nil {
		t.Fatal(err)
	}
	if rep.StatementID != "" || rep.Known != 9 || rep.Added != 0 || rep.Matched != 0 {
		t.Errorf("second import %+v", rep)
	}
	for _, l := range rep.Lines {
		if !l.Known {
			t.Errorf("%s not known", l.Ref)
		}
	}
	if e.dump() != before {
		t.Error("the second import wrote something")
	}

	// A statement of the ENF account imported for PIS is refused.
	_, err = e.importFile("enf-camt053-001-08.xml", "PIS")
	var re *regie.Error
	if !errors.As(err, &re) || re.Code != regie.EForbidden || e.dump() != before {
		t.Errorf("another régie's account: %v", err)
	}
}

// TestImportOverlap: a statement holding some entries already imported
// adds the others only, and the payment of an entry is never made twice —
// even when the entry comes back under a statement of another format.
func TestImportOverlap(t *testing.T) {
	e := newEnv(t)
	if _, err := e.importFile("enf-camt053-001-02.xml", "ENF"); err != nil {
		t.Fatal(err)
	}
	// The same statement with every reference but the first one new:
	// the invoices they name are paid now, so nothing matches again.
	data := strings.ReplaceAll(string(read(t, "enf-camt053-001-02.xml")), "2026120100", "2026120177")
	data = strings.Replace(data, "2026120177001", "2026120100001", 1)
	s, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	var rep *Report
	e.update(func(tx *store.Tx) (err error) {
		rep, err = Record(tx, &Import{Regie: "ENF", StaffID: "s-0001", Filename: "x.xml", Data: []byte(data), Statement: s}, e.now)
		return err
	})
	if rep.Known != 1 || rep.Added != 8 || rep.Matched != 0 || rep.Ambiguous != 5 {
		t.Errorf("report %+v", rep)
	}
	if n := count(t, e, `SELECT count(*) FROM payments`); n != 4 {
		t.Errorf("%d payments", n)
	}
}

func count(t *testing.T, e *env, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.st.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportCSV: the CSV export, in UTF-8 then in Windows-1252 — the same
// lines, so the second import changes nothing.
func TestImportCSV(t *testing.T) {
	e := newEnv(t)
	rep, err := e.importFile("enf-releve.csv", "ENF")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 5 || rep.Matched != 1 || rep.Ambiguous != 1 || rep.Unmatched != 1 || rep.Other != 1 || rep.Debits != 1 {
		t.Fatalf("report %+v", rep)
	}
	m := rep.Lines[0]
	p := e.payment(m.Ref)
	if m.Outcome != "matched" || p == nil || p.Allocations[0].InvoiceNumber != "FAC-2026-00501" || p.Tenders[0].Mode != regie.Transfer ||
		p.Payer != "GARÇON AURÉLIE" || p.Receipt != m.Receipt {
		t.Errorf("matched line %+v, payment %+v", m, p)
	}
	before := e.dump()
	rep, err = e.importFile("enf-releve-ansi.csv", "ENF")
	if err != nil || rep.Known != 5 || rep.Added != 0 || e.dump() != before {
		t.Errorf("second import: %v %+v", err, rep)
	}
	e.verify()
}

// TestImportSameRefOtherFigures: a reference already imported that comes
// back with another amount is refused whole, naming the entry.
func TestImportSameRefOtherFigures(t *testing.T) {
	e := newEnv(t)
	if _, err := e.importFile("enf-camt053-001-02.xml", "ENF"); err != nil {
		t.Fatal(err)
	}
	before := e.dump()
	data := strings.Replace(string(read(t, "enf-camt053-001-02.xml")), `<Amt Ccy="EUR">25.00</Amt>`, `<Amt Ccy="EUR">250.00</Amt>`, 1)
	data = strings.Replace(data, "2026120100001", "2026120199999", 1) // and one new entry
	s, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	err = e.st.Update(t0(), func(tx *store.Tx) error {
		_, err := Record(tx, &Import{Regie: "ENF", StaffID: "s-0001", Data: []byte(data), Statement: s}, e.now)
		return err
	})
	var re *regie.Error
	if !errors.As(err, &re) || re.Code != regie.EConflict || !strings.Contains(re.Message, "Écriture n° 5 : la référence 2026120100005 est déjà importée pour un autre mouvement (25,00") {
		t.Errorf("error %v", err)
	}
	if e.dump() != before {
		t.Error("the refused import wrote something")
	}
}
