package publik

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/server/store"
)

// addRegie adds a second régie, CUL, without online payments, with one
// invoice for the demo household h-0001.
func addRegie(t *testing.T, f *fixture) {
	t.Helper()
	r := demo.Regie()
	r.Code, r.Name = "CUL", "Régie Culture"
	r.Modes = []regie.PaymentMode{regie.Cash, regie.Check}
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		if err := tx.SaveRegie(&r, true); err != nil {
			return err
		}
		return tx.UpsertInvoice("CUL", &regie.Invoice{ID: "c-1", Number: "CUL-2026-1", HouseholdID: "h-0001",
			Label: "École de musique", Amount: 120_00, Remaining: 120_00, IssuedOn: "2026-11-01", DueOn: "2026-12-01"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Each régie's URL sees its own invoices and payments only.
func TestRegieScope(t *testing.T) {
	f := newFixture(t)
	addRegie(t, f)
	f.link("u-1")
	s, b := f.get("/api/regie/cul/invoices/", "NameID=u-1")
	l, _ := data(t, s, b).([]any)
	if len(l) != 1 {
		t.Fatalf("CUL invoices: %s", b)
	}
	inv := checkShape(t, "invoice", l[0], invoiceShape)
	if inv["id"] != "c-1" || inv["online_payment"] != false || inv["no_online_payment_reason"] != "no-payment-system-configured" {
		t.Errorf("CUL invoice: %s", b)
	}
	s, b = f.get("/api/regie/enf/invoice/c-1/", "NameID=u-1")
	refusal(t, s, b, http.StatusNotFound)
	s, b = f.post("/api/regie/enf/invoice/c-1/pay/", "", map[string]string{"transaction_id": "T-c", "amount": "5"})
	refusal(t, s, b, http.StatusNotFound)
	// CUL takes no online payment: its rules refuse it, nothing recorded.
	s, b = f.post("/api/regie/cul/invoice/c-1/pay/", "", map[string]string{"transaction_id": "T-c", "amount": "5"})
	refusal(t, s, b, http.StatusBadRequest)
	if n := f.count(`SELECT count(*) FROM payments`); n != 0 {
		t.Errorf("%d payments", n)
	}
	s, b = f.post("/api/regie/enf/invoice/i-0001-1/pay/", "", map[string]string{"transaction_id": "T-e", "amount": "5"})
	p := checkShape(t, "payment", data(t, s, b), paymentShape)
	s, b = f.get("/api/regie/cul/payments/", "NameID=u-1")
	if l, _ := data(t, s, b).([]any); len(l) != 0 {
		t.Errorf("CUL payments: %s", b)
	}
	s, b = f.get("/api/regie/cul/payment/"+p["id"].(string)+"/pdf/", "")
	refusal(t, s, b, http.StatusNotFound)
}

// The same payment told by several requests at once is recorded once, and
// each answers it.
func TestPayConcurrent(t *testing.T) {
	f := newFixture(t)
	urls := make([]string, 8)
	for i := range urls {
		urls[i] = f.signed("/api/regie/enf/invoice/i-0001-1/pay/", "")
	}
	var wg sync.WaitGroup
	answers := make([]string, len(urls))
	codes := make([]int, len(urls))
	for i, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, b, _ := f.do("POST", u, map[string]string{"transaction_id": "T-conc", "amount": "7.70"})
			codes[i], answers[i] = s, string(b)
		}()
	}
	wg.Wait()
	for i := range answers {
		if codes[i] != http.StatusOK || answers[i] != answers[0] {
			t.Errorf("answer %d: %d %s, first %s", i, codes[i], answers[i], answers[0])
		}
	}
	if n := f.count(`SELECT count(*) FROM payments`); n != 1 {
		t.Errorf("%d payments", n)
	}
	if r := f.remaining("i-0001-1"); r != 61_60-7_70 {
		t.Errorf("remaining %s", r)
	}
}
