package bank

import (
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

func (e *env) assign(entryRef, regieCode string, shares ...Share) (*store.BankDecision, error) {
	e.t.Helper()
	d := &Decision{ID: uuid.NewString(), Regie: regieCode, EntryID: e.entry(entryRef).ID, StaffID: "s-0001", Shares: shares}
	var dec *store.BankDecision
	err := e.st.Update(t0(), func(tx *store.Tx) (err error) {
		dec, err = Assign(tx, d, e.now)
		return err
	})
	return dec, err
}

// TestReview: what the import did not match is decided by the régisseur —
// assigned to one invoice, split across several of one household, left as
// a credit then assigned later, or assigned beyond an invoice's remaining
// amount as an explicit trop-perçu — each a payment of GESTION with its
// receipt, the invoices' remaining amounts following.
func TestReview(t *testing.T) {
	e := newEnv(t)
	for _, f := range []string{"enf-camt053-001-02.xml", "enf-camt053-001-08.xml"} {
		if _, err := e.importFile(f, "ENF"); err != nil {
			t.Fatal(err)
		}
	}
	// Assign: the household's 50,00 € to its invoice FAC-2026-00303.
	dec, err := e.assign("2026120100003", "ENF", Share{InvoiceID: "i-0003-3", Amount: 50_00})
	if err != nil {
		t.Fatal(err)
	}
	p := e.payment("2026120100003")
	if dec.Kind != "assign" || p == nil || p.Receipt != dec.Receipt || p.Counter != "GESTION" || p.HouseholdID != "h-0003" ||
		e.invoice("i-0003-3").Remaining != 0 {
		t.Errorf("assign: %+v %+v", dec, p)
	}
	// Split: 111,60 € over FAC-2026-00601 and 00603, exactly.
	dec, err = e.assign("2026120200002", "ENF", Share{InvoiceID: "i-0006-1", Amount: 61_60}, Share{InvoiceID: "i-0006-3", Amount: 50_00})
	if err != nil {
		t.Fatal(err)
	}
	p = e.payment("2026120200002")
	if dec.Kind != "split" || p == nil || len(p.Allocations) != 2 || p.Total != 111_60 ||
		e.invoice("i-0006-1").Remaining != 0 || e.invoice("i-0006-3").Remaining != 0 {
		t.Errorf("split: %+v %+v", dec, p)
	}
	// A partial payment (the régie takes them): 40,00 € of 61,60 €.
	if _, err := e.assign("2026120100004", "ENF", Share{InvoiceID: "i-0004-1", Amount: 40_00}); err != nil {
		t.Fatal(err)
	}
	if r := e.invoice("i-0004-1").Remaining; r != 21_60 {
		t.Errorf("partial: remains %s", r)
	}
	// Leave as a credit: still pending, marked left; assigned later.
	entry := e.entry("2026120100005")
	e.update(func(tx *store.Tx) error {
		_, err := Leave(tx, &Decision{ID: uuid.NewString(), Regie: "ENF", EntryID: entry.ID, StaffID: "s-0001", Comment: "Payeur inconnu, courrier envoyé"}, e.now)
		return err
	})
	entry = e.entry("2026120100005")
	if !entry.Left() || !entry.Pending() || e.payment("2026120100005") != nil {
		t.Errorf("left: %+v", entry)
	}
	var rows []store.BankStatementRow
	e.update(func(tx *store.Tx) (err error) { rows, err = tx.BankStatements([]string{"ENF"}); return err })
	if len(rows) != 2 {
		t.Fatalf("%d statements", len(rows))
	}
	if r := rows[1]; r.Format != "camt.053.001.02" || r.Credits != 8 || r.Paid != 6 || r.Left != 1 || r.Pending != 0 || r.Other != 1 || r.Debits != 1 {
		t.Errorf("counts of the first statement: %+v", r)
	}
	if r := rows[0]; r.Credits != 2 || r.Paid != 2 || r.Debits != 1 {
		t.Errorf("counts of the second statement: %+v", r)
	}
	pending := e.pending("ENF")
	if !pending["2026120100005"] || pending["2026120100003"] || len(pending) != 1 {
		t.Errorf("pending %v", pending)
	}
	// Later: 25,00 € assigned to FAC-2026-00102 (32,00 €) as a partial
	// payment.
	if _, err := e.assign("2026120100005", "ENF", Share{InvoiceID: "i-0001-2", Amount: 25_00}); err != nil {
		t.Fatal(err)
	}
	entry = e.entry("2026120100005")
	if entry.Left() || entry.Pending() || len(entry.Decisions) != 2 || entry.Paid().Kind != "assign" || e.invoice("i-0001-2").Remaining != 7_00 {
		t.Errorf("assigned later: %+v", entry)
	}
	if len(e.pending("ENF")) != 0 {
		t.Errorf("still pending: %v", e.pending("ENF"))
	}
	e.verify()
}

// TestReviewCredit: an amount above the invoice's remaining amount is a
// trop-perçu only by the régisseur's explicit choice.
func TestReviewCredit(t *testing.T) {
	e := newEnv(t)
	if _, err := e.importFile("enf-releve.csv", "ENF"); err != nil {
		t.Fatal(err)
	}
	ref := e.refOf("LOYER SALLE")
	before := e.dump()
	_, err := e.assign(ref, "ENF", Share{InvoiceID: "i-0004-3", Amount: 1234_56})
	var re *regie.Error
	if !errors.As(err, &re) || re.Code != regie.EOverRemaining || e.dump() != before {
		t.Fatalf("over the remaining amount without consent: %v", err)
	}
	if _, err := e.assign(ref, "ENF", Share{InvoiceID: "i-0004-3", Amount: 1234_56, AcceptCredit: true}); err != nil {
		t.Fatal(err)
	}
	p := e.payment(ref)
	if p.CreditApprovedBy != "s-0001" || p.Allocations[0].Credit != 1184_56 || e.invoice("i-0004-3").Credit != 1184_56 {
		t.Errorf("trop-perçu: %+v, invoice %+v", p, e.invoice("i-0004-3"))
	}
	e.verify()
}

// TestReviewRefusals: every refusal leaves the store as it was.
func TestReviewRefusals(t *testing.T) {
	e := newEnv(t)
	for _, f := range []string{"enf-camt053-001-02.xml", "enf-camt053-001-08.xml"} {
		if _, err := e.importFile(f, "ENF"); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name, ref, regie string
		shares           []Share
		code             regie.ErrorCode
	}{
		{"split not adding up", "2026120200002", "ENF", []Share{{InvoiceID: "i-0006-1", Amount: 61_60}, {InvoiceID: "i-0006-3", Amount: 49_99}}, regie.ETenderMismatch},
		{"split above", "2026120200002", "ENF", []Share{{InvoiceID: "i-0006-1", Amount: 61_60}, {InvoiceID: "i-0006-3", Amount: 50_01, AcceptCredit: true}, {InvoiceID: "i-0006-2", Amount: 1, AcceptCredit: true}}, regie.ETenderMismatch},
		{"invoice of another régie", "2026120100005", "ENF", []Share{{InvoiceID: "pis-1", Amount: 25_00}}, regie.EInvoiceNotFound},
		{"unknown invoice", "2026120100005", "ENF", []Share{{InvoiceID: "nope", Amount: 25_00}}, regie.EInvoiceNotFound},
		{"two households", "2026120200002", "ENF", []Share{{InvoiceID: "i-0006-1", Amount: 61_60}, {InvoiceID: "i-0005-3", Amount: 50_00}}, regie.EHouseholdMismatch},
		{"same invoice twice", "2026120100005", "ENF", []Share{{InvoiceID: "i-0001-2", Amount: 12_50}, {InvoiceID: "i-0001-2", Amount: 12_50}}, regie.EInvalid},
		{"nothing chosen", "2026120100005", "ENF", nil, regie.EAllocationRequired},
		{"zero", "2026120100005", "ENF", []Share{{InvoiceID: "i-0001-2", Amount: 0}}, regie.EAmountNotPositive},
		{"already paid", "2026120100001", "ENF", []Share{{InvoiceID: "i-0001-2", Amount: 61_60, AcceptCredit: true}}, regie.EConflict},
		{"a debit", "2026120100008", "ENF", []Share{{InvoiceID: "i-0001-2", Amount: 12_00}}, regie.EInvalid},
		{"a cheque remittance", "2026120100007", "ENF", []Share{{InvoiceID: "i-0001-3", Amount: 150_00, AcceptCredit: true}}, regie.EInvalid},
		{"another régie's staff", "2026120100005", "PIS", []Share{{InvoiceID: "pis-1", Amount: 25_00}}, regie.ENotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := e.dump()
			_, err := e.assign(c.ref, c.regie, c.shares...)
			var re *regie.Error
			if !errors.As(err, &re) || re.Code != c.code {
				t.Fatalf("error %v, want %s", err, c.code)
			}
			if e.dump() != before {
				t.Error("the refusal wrote something")
			}
		})
	}
	// A régie that takes no partial payment refuses a share below the
	// remaining amount.
	e.update(func(tx *store.Tx) error {
		r, err := tx.Regie("ENF")
		if err != nil {
			return err
		}
		r.PartialPayments = false
		return tx.SaveRegie(r, false)
	})
	before := e.dump()
	_, err := e.assign("2026120100005", "ENF", Share{InvoiceID: "i-0001-2", Amount: 25_00})
	var re *regie.Error
	if !errors.As(err, &re) || re.Code != regie.EPartialRefused || e.dump() != before {
		t.Errorf("partial refused: %v", err)
	}
}

// TestDecisionOnce: the same form sent twice decides once; two forms for
// one credit record one payment, the second is refused.
func TestDecisionOnce(t *testing.T) {
	e := newEnv(t)
	if _, err := e.importFile("enf-camt053-001-02.xml", "ENF"); err != nil {
		t.Fatal(err)
	}
	d := &Decision{ID: uuid.NewString(), Regie: "ENF", EntryID: e.entry("2026120100005").ID, StaffID: "s-0001",
		Shares: []Share{{InvoiceID: "i-0001-3", Amount: 25_00}}}
	var first, again *store.BankDecision
	e.update(func(tx *store.Tx) (err error) { first, err = Assign(tx, d, e.now); return err })
	before := e.dump()
	e.update(func(tx *store.Tx) (err error) { again, err = Assign(tx, d, e.now); return err })
	if again == nil || again.PaymentID != first.PaymentID || e.dump() != before {
		t.Errorf("resent: %+v, first %+v", again, first)
	}
	_, err := e.assign("2026120100005", "ENF", Share{InvoiceID: "i-0001-3", Amount: 25_00})
	var re *regie.Error
	if !errors.As(err, &re) || re.Code != regie.EConflict || e.dump() != before {
		t.Errorf("second form: %v", err)
	}
}

func (e *env) pending(regieCode string) map[string]bool {
	e.t.Helper()
	out := map[string]bool{}
	err := e.st.View(t0(), func(tx *store.Tx) error {
		es, err := tx.BankPending([]string{regieCode})
		for _, x := range es {
			out[x.Ref] = true
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) refOf(remittance string) string {
	e.t.Helper()
	var ref string
	if err := e.st.QueryRow(`SELECT ref FROM bank_entries WHERE remittance LIKE ?`, "%"+remittance+"%").Scan(&ref); err != nil {
		e.t.Fatal(err)
	}
	return ref
}
