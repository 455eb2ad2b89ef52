package backoffice

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/server/store"
)

// FuzzEntryForm: any posted body gives a form with problems in French, or
// one whose every field holds what the rules need — a key that is a UUID,
// a mode the back-office counter and the régie take, a date of value
// within the year before today, a one-line reference, at least one
// positive amount, each on an invoice of the form — never a panic.
func FuzzEntryForm(f *testing.F) {
	f.Add("cle=0193a1c2-de30-4000-8000-00000000f001&mode=transfer&date_valeur=02%2F12%2F2026&reference=VIR+1&montant-i-1=61%2C60")
	f.Add("cle=x&mode=cash&date_valeur=2027-01-01&reference=&montant-i-1=-3&montant-i-9=4")
	f.Add("cle=0193a1c2-de30-4000-8000-00000000f001&mode=direct_debit&date_valeur=2026-12-03&reference=P%0A1&montant-i-2=1+234,50+%E2%82%AC&montant-i-2=1&trop_percu=1")
	reg := demo.Regie()
	h := &regie.Household{ID: "h", Account: "F1", Name: "Lefèvre Hélène"}
	invoices := []store.InvoiceState{{Invoice: regie.Invoice{ID: "i-1", Number: "FAC-1", Amount: 61_60, Remaining: 61_60}},
		{Invoice: regie.Invoice{ID: "i-2", Number: "FAC-2", Amount: 32_00, Remaining: 0}}}
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		d := newEntryForm(&reg, h, invoices, now)
		d.read(form)
		if len(d.Errors) > 0 {
			for _, e := range d.Errors {
				if e == "" || !utf8.ValidString(e) {
					t.Fatalf("bad message %q", e)
				}
			}
			return
		}
		if _, err := uuid.Parse(d.Key); err != nil {
			t.Fatalf("key %q", d.Key)
		}
		m := regie.PaymentMode(d.Mode)
		if !regie.ChannelBackOffice.Takes(m) || !reg.Allows(m) {
			t.Fatalf("mode %q", d.Mode)
		}
		vd, err := time.Parse(time.DateOnly, d.ValueDate)
		if err != nil || d.ValueDate > d.Today || vd.Before(now.AddDate(-1, 0, -1)) {
			t.Fatalf("value date %q (today %s)", d.ValueDate, d.Today)
		}
		if strings.TrimSpace(d.Reference) == "" || !plainText(d.Reference) || !plainText(d.Payer) {
			t.Fatalf("reference %q payer %q", d.Reference, d.Payer)
		}
		if d.Total() <= 0 {
			t.Fatalf("total %s", d.Total())
		}
		for _, l := range d.Lines {
			if l.amount < 0 {
				t.Fatalf("line %+v", l)
			}
		}
	})
}
