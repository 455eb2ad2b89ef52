package backoffice

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/regie-fr/regie"
)

// FuzzVerificationForm feeds the procès-verbal's form arbitrary values: it
// never panics, every refusal is a French sentence, and a form it accepts
// makes a procès-verbal the domain accepts (or refuses with its own French
// error, for amounts beyond its bounds), with nothing negative in it.
func FuzzVerificationForm(f *testing.F) {
	f.Add("Jeanne Lefèvre", "Comptable public", "Marie Dupont", "100,01", "32,00", "1", "1", "Écart expliqué", "57")
	f.Add("Jeanne Lefèvre", "Comptable public", "Marie Dupont", "", "0", "", "2", "", "3")
	f.Add("", "Maire", "", "-5", "trente", "-1", "x", "", "")
	f.Add("J", "Délégué du comptable public", "M", "", "0", "", "1000001", "", "1")
	f.Add("J", "Comptable public", "M", "1 234,50 €", "1e3", "2", "3", "\r\n", "-3")
	f.Fuzz(func(t *testing.T, verifier, title, regisseur, cash, checks, nchecks, b100, obs, asof string) {
		data := &verificationFormData{Counters: []formCounter{{Code: "C01", Billetage: []formDenomination{
			{Value: 100_00, Label: "Billets de 100,00 €"}, {Value: 1, Label: "Pièces de 0,01 €"}}}}}
		r := &http.Request{PostForm: url.Values{"verifier": {verifier}, "verifier_title": {title}, "regisseur": {regisseur},
			"cash_C01": {cash}, "checks_C01": {checks}, "nchecks_C01": {nchecks}, "b_C01_10000": {b100},
			"b_C01_1": {b100}, "observations": {obs}, "asof_C01": {asof},
			"id": {"0195a3c0-f1e0-7000-8000-000000000001"}}}
		pv, asOf := readVerificationForm(r, data)
		for _, e := range data.Errors {
			if e == "" {
				t.Fatal("an empty error message")
			}
		}
		if len(data.Errors) > 0 {
			return
		}
		if _, ok := asOf["C01"]; !ok {
			t.Fatal("accepted without the as-of seq")
		}
		l := pv.Lines[0]
		if l.CountedCash < 0 || l.CountedChecks < 0 || l.CountedCount < 0 {
			t.Fatalf("accepted a negative figure: %+v", l)
		}
		if len(l.Count) > 0 && strings.TrimSpace(cash) != "" && l.Count.Total() != l.CountedCash {
			t.Fatalf("accepted a total that is not the billetage's: %+v", l)
		}
		pv.ID, pv.Regie, pv.Counter = "pv", "ENF", "GESTION"
		pv.Compute()
		if err := pv.Validate(); err != nil {
			var re *regie.Error
			if !errors.As(err, &re) || re.Message == "" {
				t.Fatalf("the domain refused without a French message: %v", err)
			}
		}
	})
}

// FuzzCounterRef: a counter's reference in an address reads back as
// written, and nothing else is taken for one.
func FuzzCounterRef(f *testing.F) {
	for _, s := range []string{"ENF-C01", "-C01", "ENF-", "ENFC01", "A-B-C", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		reg, counter, err := parseCounterRef(s)
		if err != nil {
			return
		}
		if reg == "" || counter == "" || counterRef(reg, counter) != s {
			t.Fatalf("%q read as %q and %q", s, reg, counter)
		}
	})
}
