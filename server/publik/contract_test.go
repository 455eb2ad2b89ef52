package publik

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"
)

// kind names a JSON value's type as the contract states it.
func kind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "bool"
	case json.Number:
		if strings.Contains(string(x), ".") {
			return "decimal"
		}
		return "integer"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

// checkShape checks an object's keys and their types exactly.
func checkShape(t *testing.T, what string, v any, want map[string]string) map[string]any {
	t.Helper()
	m, isObj := v.(map[string]any)
	if !isObj {
		t.Fatalf("%s: object expected, got %v", what, v)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		w, known := want[k]
		if !known {
			t.Errorf("%s: unexpected field %q", what, k)
			continue
		}
		if got := kind(m[k]); !strings.Contains(w, got) {
			t.Errorf("%s.%s: %s (%v), want %s", what, k, got, m[k], w)
		}
	}
	for k, w := range want {
		if _, has := m[k]; !has && !strings.Contains(w, "optional") {
			t.Errorf("%s: field %q missing", what, k)
		}
	}
	return m
}

var invoiceShape = map[string]string{
	"id": "string", "display_id": "string", "label": "string", "total_amount": "decimal",
	"remaining_amount": "decimal", "amount": "decimal", "created": "string|null", "pay_limit_date": "string",
	"due_date": "string|null", "paid": "bool", "online_payment": "bool",
	"no_online_payment_reason": "string optional", "has_pdf": "bool",
}

var paymentShape = map[string]string{
	"id": "string", "display_id": "string", "payment_type": "string", "amount": "decimal",
	"created": "string", "has_pdf": "bool", "cancelled": "bool",
}

var householdShape = map[string]string{"id": "string", "text": "string", "payer_external_id": "string", "linked_at": "string"}

func TestContractInvoices(t *testing.T) {
	f := newFixture(t)
	f.link("u-lefevre")
	s, b := f.get("/api/regie/enf/invoices/", "NameID=u-lefevre")
	list, _ := data(t, s, b).([]any)
	if len(list) != 3 {
		t.Fatalf("open invoices of h-0001: %s", b)
	}
	// 16 × 3,85 € written as Publik writes amounts: a decimal number with
	// two decimals, never a float's 61.6000000001.
	if !strings.Contains(string(b), `"total_amount":61.60,`) || !strings.Contains(string(b), `"remaining_amount":61.60,`) {
		t.Errorf("amounts: %s", b)
	}
	byID := map[string]map[string]any{}
	for _, v := range list {
		m := checkShape(t, "invoice", v, invoiceShape)
		byID[m["id"].(string)] = m
	}
	inv := byID["i-0001-1"]
	if inv == nil || inv["display_id"] != "FAC-2026-00101" || inv["label"] != "Restauration scolaire – octobre 2026" ||
		inv["created"] != "2026-11-05" || inv["due_date"] != "2026-12-05" || inv["pay_limit_date"] != "2026-12-05" ||
		inv["paid"] != false || inv["online_payment"] != true || inv["has_pdf"] != true {
		t.Errorf("invoice i-0001-1: %v", inv)
	}

	// The same through the household's account.
	s, b2 := f.get("/api/regie/enf/invoices/", "payer_external_id=F001001")
	if l, _ := data(t, s, b2).([]any); len(l) != 3 {
		t.Errorf("by payer_external_id: %s", b2)
	}

	// Nothing settled yet: the history is an empty list, not null.
	s, b = f.get("/api/regie/enf/invoices/history/", "NameID=u-lefevre")
	if h, isList := data(t, s, b).([]any); !isList || len(h) != 0 {
		t.Errorf("history: %s", b)
	}

	// One invoice.
	s, b = f.get("/api/regie/enf/invoice/i-0001-2/", "NameID=u-lefevre")
	one := checkShape(t, "invoice", data(t, s, b), invoiceShape)
	if one["display_id"] != "FAC-2026-00102" || one["total_amount"] != json.Number("32.00") {
		t.Errorf("invoice i-0001-2: %s", b)
	}
	// Past its due date it is no longer payable online, and says why.
	f.now = f.now.AddDate(0, 1, 0)
	s, b = f.get("/api/regie/enf/invoice/i-0001-2/", "NameID=u-lefevre")
	late := checkShape(t, "invoice", data(t, s, b), invoiceShape)
	if late["online_payment"] != false || late["no_online_payment_reason"] != "past-due-date" {
		t.Errorf("overdue invoice: %s", b)
	}
}

func TestContractScopes(t *testing.T) {
	f := newFixture(t)
	f.link("u-lefevre")
	// Another household's invoice is not found, like an unknown one.
	for _, q := range []string{"NameID=u-lefevre", "payer_external_id=F001001"} {
		s, b := f.get("/api/regie/enf/invoice/i-0002-1/", q)
		refusal(t, s, b, http.StatusNotFound)
		s, b = f.get("/api/regie/enf/invoice/i-0002-1/pdf/", q)
		refusal(t, s, b, http.StatusNotFound)
		s, b = f.post("/api/regie/enf/invoice/i-0002-1/pay/", q, map[string]string{"transaction_id": "T-x", "amount": "1"})
		refusal(t, s, b, http.StatusNotFound)
	}
	s, b := f.get("/api/regie/enf/invoice/nope/", "NameID=u-lefevre")
	refusal(t, s, b, http.StatusNotFound)
	// A user linked to nothing, an unknown account, both or neither.
	s, b = f.get("/api/regie/enf/invoices/", "NameID=u-inconnu")
	refusal(t, s, b, http.StatusNotFound)
	s, b = f.get("/api/regie/enf/invoices/", "payer_external_id=F999999")
	refusal(t, s, b, http.StatusNotFound)
	s, b = f.get("/api/regie/enf/invoices/", "NameID=u-lefevre&payer_external_id=F001002")
	refusal(t, s, b, http.StatusBadRequest)
	s, b = f.get("/api/regie/enf/invoices/", "")
	refusal(t, s, b, http.StatusBadRequest)
	s, b = f.get("/api/regie/enf/payments/", "")
	refusal(t, s, b, http.StatusBadRequest)
	// Unknown régie, a code not in lower case, an unknown address.
	s, b = f.get("/api/regie/zzz/invoices/", "NameID=u-lefevre")
	refusal(t, s, b, http.StatusNotFound)
	s, b = f.get("/api/regie/ENF/invoices/", "NameID=u-lefevre")
	refusal(t, s, b, http.StatusNotFound)
	s, b = f.get("/api/regie/enf/factures/", "NameID=u-lefevre")
	refusal(t, s, b, http.StatusNotFound)
	// Without any signature nothing is said, not even that a régie exists.
	st, body, _ := f.do("GET", f.srv.URL+"/api/regie/enf/invoices/?NameID=u-lefevre", nil)
	refusal(t, st, body, http.StatusForbidden)
	st, body, _ = f.do("GET", f.srv.URL+"/api/regie/zzz/invoices/?NameID=u-lefevre", nil)
	refusal(t, st, body, http.StatusForbidden)
}
