package backoffice

import (
	"net/url"
	"testing"

	"github.com/regie-fr/regie/server/store"
)

// FuzzParseSearchForm: any query string gives a form whose filter the
// store accepts, or problems in French, never a panic; and a form without
// problems gives the same filter when its own query is read again.
func FuzzParseSearchForm(f *testing.F) {
	f.Add("du=27/11/2026&au=2026-11-30&montant=12,50&mode=check&annule=oui&nom=Lef%C3%A8vre")
	f.Add("montant=1+234,50+%E2%82%AC&recu=r-enf-c01-2026-000001&page=abc")
	f.Add("du=31/02/2026&mode=bitcoin&annule=x")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		sf := parseSearchForm(q)
		if len(sf.Problems) > 0 {
			return
		}
		if err := store.CheckPaymentFilter(sf.Filter); err != nil {
			if len(err.Error()) == 0 {
				t.Fatal("empty error")
			}
			return
		}
		again := parseSearchForm(sf.query())
		if len(again.Problems) > 0 || again.Filter.From != sf.Filter.From || again.Filter.To != sf.Filter.To ||
			again.Filter.Mode != sf.Filter.Mode || (again.Filter.Amount == nil) != (sf.Filter.Amount == nil) ||
			again.Filter.Amount != nil && *again.Filter.Amount != *sf.Filter.Amount || again.Filter.Name != sf.Filter.Name {
			t.Fatalf("%q: %+v then %+v", raw, sf.Filter, again.Filter)
		}
	})
}
