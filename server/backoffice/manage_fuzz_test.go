package backoffice

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/store"
)

// FuzzRegieForm: whatever is typed, the régie's form either refuses it
// with a message or gives settings the domain accepts, and settings shown
// again in the form (amounts in the French format, reasons one a line)
// read back the same.
func FuzzRegieForm(f *testing.F) {
	f.Add("Régie Enfance", "cash,check", "1 234,50", "300 €", "50", "7", "Europe/Paris", "Livre rendu\nAutre motif")
	f.Add(" ", "", "-1", "1e3", "0,001", "0", "Mars/Olympus", "\x00\n\n")
	f.Add("x", "card,card", "999 999 999,99", "", "  12  ", "31", "", strings.Repeat("a\n", 40))
	f.Fuzz(func(t *testing.T, name, modes, ceiling, limit, float, days, tz, reasons string) {
		form := url.Values{"name": {name}, "cash_ceiling": {ceiling}, "cash_limit": {limit}, "float": {float},
			"deposit_days": {days}, "timezone": {tz}, "reasons": {reasons}, "modes": strings.Split(modes, ",")}
		r := &http.Request{Method: http.MethodPost, PostForm: form}
		f, reg := readRegieForm(r, store.NewRegieSettings("ENF"), false)
		if reg == nil {
			if len(f.Errors) == 0 {
				t.Fatal("refused without a message")
			}
			return
		}
		if len(f.Errors) > 0 {
			t.Fatalf("accepted with errors %v", f.Errors)
		}
		if err := reg.Validate(); err != nil {
			t.Fatalf("accepted settings the domain refuses: %v", err)
		}
		back := formOf(reg, false)
		again := url.Values{"name": {back.Name}, "cash_ceiling": {back.CashCeiling}, "cash_limit": {back.CashLimit},
			"float": {back.Float}, "deposit_days": {back.Days}, "timezone": {back.Timezone}, "reasons": {back.Reasons}}
		for m := range back.Modes {
			again.Add("modes", m)
		}
		if back.Partial {
			again.Set("partial", "1")
		}
		_, reg2 := readRegieForm(&http.Request{Method: http.MethodPost, PostForm: again}, store.NewRegieSettings("ENF"), false)
		if reg2 == nil || reg2.CashCeiling != reg.CashCeiling || reg2.CashLimit != reg.CashLimit || reg2.Float != reg.Float ||
			reg2.Name != reg.Name || !slices.Equal(reg2.Reasons(), reg.Reasons()) || len(reg2.Modes) != len(reg.Modes) {
			t.Fatalf("shown again, read back differently: %+v / %+v", reg, reg2)
		}
		for _, x := range reg.Reasons() {
			if len(x) == 0 || x != strings.TrimSpace(x) {
				t.Fatalf("reason %q", x)
			}
		}
	})
}
