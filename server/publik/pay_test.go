package publik

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/store"
)

// count runs a count(*) query on the server's database.
func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.st.QueryRow(q, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// remaining is what the store says remains due on an invoice.
func (f *fixture) remaining(id string) regie.Money {
	f.t.Helper()
	var r regie.Money
	err := f.st.View(context.Background(), func(tx *store.Tx) error {
		inv, err := tx.Invoice(id)
		if inv != nil {
			r = inv.Remaining
		}
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// Publik's real call (lingo's pay endpoint): a JSON body with the
// transaction's id and date and the amount as a decimal string. Sent
// twice, it records one payment and answers the same receipt twice.
func TestPayTwiceRecordsOnce(t *testing.T) {
	f := newFixture(t)
	f.link("u-lefevre")
	body := map[string]any{"transaction_id": "PUBLIK-TX-0001", "transaction_date": "2026-11-20T10:29:42",
		"amount": "20.00", "order_id": "o-1", "bank_data": map[string]string{"x": "y"}}
	s1, b1 := f.post("/api/regie/enf/invoice/i-0001-1/pay/", "NameID=u-lefevre", body)
	p := checkShape(t, "payment", data(t, s1, b1), paymentShape)
	if p["amount"] != json.Number("20.00") || p["payment_type"] != "Paiement en ligne" || p["created"] != "2026-11-20" ||
		!strings.HasPrefix(p["display_id"].(string), "R-ENF-") {
		t.Errorf("payment: %s", b1)
	}
	if p["id"] != ledger.PaymentID("ENF", ledger.SourcePublik, "PUBLIK-TX-0001") {
		t.Errorf("payment id %v: not the ledger's id of the transaction", p["id"])
	}
	s2, b2 := f.post("/api/regie/enf/invoice/i-0001-1/pay/", "NameID=u-lefevre", body)
	if s2 != http.StatusOK || string(b2) != string(b1) {
		t.Errorf("second call: %d %s, first %s", s2, b2, b1)
	}
	// Without the amount (lingo's older call), the same transaction is
	// still the same payment.
	s3, b3 := f.post("/api/regie/enf/invoice/i-0001-1/pay/", "NameID=u-lefevre",
		map[string]string{"transaction_id": "PUBLIK-TX-0001"})
	if s3 != http.StatusOK || string(b3) != string(b1) {
		t.Errorf("third call without amount: %d %s", s3, b3)
	}
	if n := f.count(`SELECT count(*) FROM journal WHERE kind = 'payment' AND id = ?`, p["id"]); n != 1 {
		t.Errorf("%d journal entries for the payment", n)
	}
	if n := f.count(`SELECT count(*) FROM payments WHERE household_id = 'h-0001'`); n != 1 {
		t.Errorf("%d payments for the household", n)
	}
	if r := f.remaining("i-0001-1"); r != 41_60 {
		t.Errorf("remaining %s, want 41,60 € (61,60 € − 20,00 € once)", r)
	}
	// The same transaction id for another amount or invoice is a conflict,
	// never a second payment.
	s, b := f.post("/api/regie/enf/invoice/i-0001-1/pay/", "NameID=u-lefevre", map[string]string{"transaction_id": "PUBLIK-TX-0001", "amount": "21"})
	refusal(t, s, b, http.StatusConflict)
	s, b = f.post("/api/regie/enf/invoice/i-0001-2/pay/", "NameID=u-lefevre", map[string]string{"transaction_id": "PUBLIK-TX-0001", "amount": "20"})
	refusal(t, s, b, http.StatusConflict)
	if n := f.count(`SELECT count(*) FROM payments`); n != 1 {
		t.Errorf("%d payments after conflicts", n)
	}

	// The payment shows in payments/ and on the portal's store.
	s, b = f.get("/api/regie/enf/payments/", "NameID=u-lefevre")
	list, _ := data(t, s, b).([]any)
	if len(list) != 1 || checkShape(t, "payment", list[0], paymentShape)["id"] != p["id"] {
		t.Errorf("payments/: %s", b)
	}
	pp, err := f.st.Portal().Payments(context.Background(), "h-0001", 2026)
	if err != nil {
		t.Fatal(err)
	}
	if len(pp) != 1 || pp[0].ID != p["id"] || !pp[0].Online || pp[0].Total != 20_00 {
		t.Errorf("portal payments: %+v", pp)
	}
}

// Without an amount the whole remaining amount is paid; the invoice then
// moves to the history.
func TestPayRemainingThenHistory(t *testing.T) {
	f := newFixture(t)
	s, b := f.post("/api/regie/enf/invoice/i-0001-3/pay/", "payer_external_id=F001001",
		map[string]string{"transaction_id": "T-2", "transaction_date": "2026-11-20T10:00:00"})
	if checkShape(t, "payment", data(t, s, b), paymentShape)["amount"] != json.Number("50.00") {
		t.Errorf("pay remaining: %s", b)
	}
	s, b = f.get("/api/regie/enf/invoices/history/", "payer_external_id=F001001")
	h, _ := data(t, s, b).([]any)
	if len(h) != 1 {
		t.Fatalf("history: %s", b)
	}
	inv := checkShape(t, "invoice", h[0], invoiceShape)
	if inv["id"] != "i-0001-3" || inv["paid"] != true || inv["remaining_amount"] != json.Number("0.00") ||
		inv["pay_limit_date"] != "" || inv["online_payment"] != false {
		t.Errorf("paid invoice: %v", inv)
	}
	s, b = f.get("/api/regie/enf/invoices/", "payer_external_id=F001001")
	if l, _ := data(t, s, b).([]any); len(l) != 2 {
		t.Errorf("open after payment: %s", b)
	}
	// Nothing left to pay: a new transaction without amount is a conflict.
	s, b = f.post("/api/regie/enf/invoice/i-0001-3/pay/", "", map[string]string{"transaction_id": "T-3"})
	refusal(t, s, b, http.StatusConflict)
}

// An online payment larger than what remains (the invoice paid at a
// counter meanwhile) is recorded, the excess as a credit: the citizen has
// paid, the régisseur refunds or assigns it.
func TestPayAboveRemainingIsCredit(t *testing.T) {
	f := newFixture(t)
	s, b := f.post("/api/regie/enf/invoice/i-0001-3/pay/", "", map[string]string{"transaction_id": "T-9", "amount": "60,00"})
	data(t, s, b)
	if n := f.count(`SELECT coalesce(sum(amount), 0) FROM credits WHERE household_id = 'h-0001'`); n != 10_00 {
		t.Errorf("credit %d cents, want 1000", n)
	}
	if r := f.remaining("i-0001-3"); r != 0 {
		t.Errorf("remaining %s", r)
	}
}

func TestPayRefusals(t *testing.T) {
	f := newFixture(t)
	for name, c := range map[string]struct {
		body any
		want int
	}{
		"no transaction id":    {map[string]string{"amount": "10"}, http.StatusBadRequest},
		"blank transaction id": {map[string]string{"transaction_id": "  ", "amount": "10"}, http.StatusBadRequest},
		"long transaction id":  {map[string]string{"transaction_id": strings.Repeat("x", 201)}, http.StatusBadRequest},
		"bad amount":           {map[string]string{"transaction_id": "T", "amount": "dix"}, http.StatusBadRequest},
		"negative amount":      {map[string]string{"transaction_id": "T", "amount": "-5"}, http.StatusBadRequest},
		"zero amount":          {map[string]any{"transaction_id": "T", "amount": 0}, http.StatusBadRequest},
		"float exponent":       {map[string]any{"transaction_id": "T", "amount": 1e300}, http.StatusBadRequest},
		"bad date":             {map[string]string{"transaction_id": "T", "transaction_date": "hier"}, http.StatusBadRequest},
		"not an object":        {[]string{"T"}, http.StatusBadRequest},
		"unknown invoice":      {map[string]string{"transaction_id": "T"}, http.StatusNotFound},
	} {
		t.Run(name, func(t *testing.T) {
			path := "/api/regie/enf/invoice/i-0001-1/pay/"
			if name == "unknown invoice" {
				path = "/api/regie/enf/invoice/i-9999/pay/"
			}
			s, b := f.post(path, "", c.body)
			refusal(t, s, b, c.want)
		})
	}
	if n := f.count(`SELECT count(*) FROM payments`); n != 0 {
		t.Errorf("%d payments recorded by refused calls", n)
	}
	// A JSON number amount is read from its text, never through a float.
	s, b := f.post("/api/regie/enf/invoice/i-0001-1/pay/", "", map[string]any{"transaction_id": "T-n", "amount": json.Number("12.3")})
	if checkShape(t, "payment", data(t, s, b), paymentShape)["amount"] != json.Number("12.30") {
		t.Errorf("number amount: %s", b)
	}
}

// A signed pay call whose query was changed, or sent too late, is refused
// before anything is read or written.
func TestPaySignatureRefusedWritesNothing(t *testing.T) {
	f := newFixture(t)
	body := map[string]string{"transaction_id": "T-sig", "amount": "10"}
	u := f.signed("/api/regie/enf/invoice/i-0001-1/pay/", "payer_external_id=F001001")
	s, b, _ := f.do("POST", strings.Replace(u, "F001001", "F001002", 1), body)
	refusal(t, s, b, http.StatusForbidden)
	// Publik signs the query, not the path: a signed URL moved to another
	// invoice passes the signature, but is still answered within the
	// household it names, and its nonce is spent.
	s, b, _ = f.do("POST", strings.Replace(u, "i-0001-1", "i-0002-1", 1), body)
	refusal(t, s, b, http.StatusNotFound)
	s, b, _ = f.do("POST", u, body)
	if desc := refusal(t, s, b, http.StatusForbidden); !strings.Contains(desc, "déjà servi") {
		t.Errorf("replay: %s", desc)
	}
	late := f.signed("/api/regie/enf/invoice/i-0001-1/pay/", "payer_external_id=F001001")
	f.now = f.now.Add(31e9)
	s, b, _ = f.do("POST", late, body)
	if desc := refusal(t, s, b, http.StatusForbidden); !strings.Contains(desc, "hors délai") {
		t.Errorf("late: %s", desc)
	}
	if n := f.count(`SELECT count(*) FROM payments`); n != 0 {
		t.Errorf("%d payments", n)
	}
}
