package publik

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseKeys(t *testing.T) {
	k, err := ParseKeys(" publik.montaigu.fr = s3cr3t-de-test-publik-0001 , combo.example.org=une=clé=de-seize-au-moins,")
	if err != nil {
		t.Fatal(err)
	}
	if len(k) != 2 || string(k["publik.montaigu.fr"]) != "s3cr3t-de-test-publik-0001" || string(k["combo.example.org"]) != "une=clé=de-seize-au-moins" {
		t.Errorf("keys: %q", k)
	}
	if k, err := ParseKeys(""); err != nil || len(k) != 0 {
		t.Errorf("empty: %v %v", k, err)
	}
	for _, bad := range []string{"publik", "=s3cr3t-de-test-publik-0001", "publik=court", "a=s3cr3t-de-test-publik-0001,a=s3cr3t-de-test-publik-0002"} {
		if _, err := ParseKeys(bad); err == nil {
			t.Errorf("ParseKeys(%q) accepted", bad)
		}
	}
}

// FuzzParseKeys: never a panic; every key kept is an orig and a key of 16
// characters or more, found in the input.
func FuzzParseKeys(f *testing.F) {
	f.Add("publik.montaigu.fr=s3cr3t-de-test-publik-0001,combo=une=clé=de-seize-au-moins")
	f.Add("a=b,,=c")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKeys(s)
		if err != nil {
			return
		}
		for o, v := range k {
			if o == "" || len(v) < 16 || !strings.Contains(s, o) || !strings.Contains(s, string(v)) {
				t.Fatalf("ParseKeys(%q): %q=%q", s, o, v)
			}
		}
	})
}

// FuzzReadBody feeds any body, JSON or form, to the POST reader: never a
// panic, and an amount it keeps is the text it was sent, never a float's
// rewriting.
func FuzzReadBody(f *testing.F) {
	f.Add(`{"transaction_id":"T","amount":"41.5","bank_data":{"a":1}}`, "application/json")
	f.Add(`{"amount":12.30}`, "application/json")
	f.Add("transaction_id=T&amount=41%2C50", "application/x-www-form-urlencoded")
	f.Add(`{"amount":1e400}`, "")
	f.Fuzz(func(t *testing.T, body, ct string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		out, ok := readBody(w, r)
		if !ok {
			if w.Code < 400 || w.Code > 499 {
				t.Fatalf("refused with %d", w.Code)
			}
			return
		}
		if a, has := out["amount"]; has && strings.HasPrefix(strings.TrimSpace(body), "{") && !strings.Contains(body, a) &&
			!strings.Contains(body, `\`) {
			t.Fatalf("amount %q not in %q", a, body)
		}
	})
}

// lingo's older call posts a form rather than JSON.
func TestPayForm(t *testing.T) {
	f := newFixture(t)
	req, _ := http.NewRequest("POST", f.signed("/api/regie/enf/invoice/i-0002-1/pay/", "payer_external_id=F001002"),
		strings.NewReader("transaction_id=FORM-1&transaction_date=2026-11-20T10%3A00%3A00&amount=10%2C50"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("form pay: %d", res.StatusCode)
	}
	if r := f.remaining("i-0002-1"); r != 61_60-10_50 {
		t.Errorf("remaining %s", r)
	}
}

// A body over 64 KiB is refused whole.
func TestBodyTooLarge(t *testing.T) {
	f := newFixture(t)
	s, b := f.post("/api/regie/enf/invoice/i-0001-1/pay/", "", map[string]string{"transaction_id": "T", "pad": strings.Repeat("x", 70<<10)})
	refusal(t, s, b, http.StatusRequestEntityTooLarge)
	if n := f.count(`SELECT count(*) FROM payments`); n != 0 {
		t.Errorf("%d payments", n)
	}
}
