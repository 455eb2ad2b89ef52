package backoffice

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/regie-fr/regie"
)

func regieValues(code string) url.Values {
	return url.Values{"code": {code}, "name": {"Régie Bibliothèque"}, "address": {"1 place de la Mairie"},
		"modes": {"cash", "check", "card"}, "cash_ceiling": {"1 234,50"}, "cash_limit": {"300 €"}, "float": {"50"},
		"deposit_days": {"15"}, "timezone": {"Europe/Paris"}, "partial": {"1"},
		"reasons": {"Erreur de saisie du montant\r\nLivre rendu\r\n\r\nAutre motif\r\n"}}
}

// TestManageRegieCreateEdit: an administrator creates a régie with amounts
// typed in French, sees them with the project's formatter, edits it; each
// save is audited with the régie, and an edit's detail gives old and new
// values.
func TestManageRegieCreateEdit(t *testing.T) {
	f := newFixture(t)
	adm := f.admin()
	res, body := adm.send("/gestion/regies/nouvelle", regieValues("BIB"))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/gestion/regies/BIB?ok=regie" {
		t.Fatalf("create: %d %s %.500s", res.StatusCode, res.Header.Get("Location"), body)
	}
	r := f.regieOf("BIB")
	want := regie.Regie{Code: "BIB", Name: "Régie Bibliothèque", Address: "1 place de la Mairie",
		Modes: []regie.PaymentMode{regie.Cash, regie.Check, regie.Card}, CashCeiling: 1234_50, CashLimit: 300_00,
		Float: 50_00, DepositPeriodDays: 15, PartialPayments: true, Timezone: "Europe/Paris",
		CancelReasons: []string{"Erreur de saisie du montant", "Livre rendu", "Autre motif"}}
	if r == nil || r.Name != want.Name || !slices.Equal(r.Modes, want.Modes) || r.CashCeiling != want.CashCeiling ||
		r.CashLimit != want.CashLimit || r.Float != want.Float || r.DepositPeriodDays != 15 || !r.PartialPayments ||
		r.AnonymousSales || !slices.Equal(r.CancelReasons, want.CancelReasons) || r.Address != want.Address {
		t.Fatalf("stored: %+v", r)
	}
	f.wantAudit("regie.create", "BIB", "BIB")
	_, page := adm.get(res.Header.Get("Location"))
	contains(t, page, "Régie enregistrée", regie.Money(1234_50).String(), regie.Money(300_00).String(),
		regie.Money(50_00).String(), "tous les 15 jours", "Livre rendu")
	_, list := adm.get("/gestion/regies")
	contains(t, list, `href="/gestion/regies/BIB"`, `href="/gestion/regies/ENF"`, `href="/gestion/regies/PIS"`)

	_, form := adm.get("/gestion/regies/BIB/modifier")
	contains(t, form, `value="1234,50"`, `value="300,00"`, "Livre rendu")
	v := regieValues("")
	v.Set("cash_ceiling", "2 000,00 €")
	v.Set("reasons", "")
	v.Del("partial")
	v.Set("accounts", "fr73 3000 1004 9000 0001 2345 005\n")
	v.Set("payfip_client", "123456")
	if res, body := adm.send("/gestion/regies/BIB/modifier", v); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d %.500s", res.StatusCode, body)
	}
	r = f.regieOf("BIB")
	if !slices.Equal(r.BankAccounts, []string{"FR7330001004900000012345005"}) || r.PayFiPClient != "123456" {
		t.Fatalf("accounts %v, PayFiP %q", r.BankAccounts, r.PayFiPClient)
	}
	if r.CashCeiling != 2000_00 || r.PartialPayments || r.CancelReasons != nil || r.Code != "BIB" {
		t.Fatalf("edited: %+v", r)
	}
	detail := f.wantAudit("regie.update", "BIB", "BIB")
	ceiling, _ := detail["cash_ceiling"].(map[string]any)
	if ceiling["avant"] != float64(1234_50) || ceiling["après"] != float64(2000_00) {
		t.Errorf("ceiling change: %v", detail)
	}
	if _, ok := detail["partial_payments"]; !ok {
		t.Errorf("partial payments change missing: %v", detail)
	}
	if _, ok := detail["name"]; ok {
		t.Errorf("an unchanged field is in the detail: %v", detail)
	}
	// Saving the same values again writes nothing: no new version for the
	// counters to pull, no audit entry.
	f.unchanged("an edit that changes nothing", func() { adm.send("/gestion/regies/BIB/modifier", v) })
}

// TestManageRegieRefused: a form with faults is shown again with every
// fault beside its field, in French, with what was typed kept; nothing is
// written. A taken code, an unknown time zone and a bad list of reasons
// (rules of the store and the domain, the command line's too) are refused
// the same way.
func TestManageRegieRefused(t *testing.T) {
	f := newFixture(t)
	adm := f.admin()
	f.unchanged("refused forms", func() {
		v := regieValues("BIB")
		v.Set("cash_ceiling", "12,345")
		v.Set("float", "-5")
		v.Del("modes")
		v.Set("deposit_days", "deux")
		v.Set("name", "Régie <b>Bib</b>")
		res, body := adm.send("/gestion/regies/nouvelle", v)
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("bad form: %d", res.StatusCode)
		}
		contains(t, body, "Le formulaire contient des erreurs", `value="12,345"`, `value="-5"`, `value="deux"`,
			"Cochez au moins un mode de paiement", "Indiquez un nombre de jours", `id="cash_ceiling-erreur"`,
			`id="float-erreur"`, `value="Régie &lt;b&gt;Bib&lt;/b&gt;"`)
		// Every fault at once: the fields' and the domain's (the code).
		v = regieValues("bib")
		v.Set("name", "")
		v.Set("float", "trois")
		res, body = adm.send("/gestion/regies/nouvelle", v)
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("faults at once: %d", res.StatusCode)
		}
		contains(t, body, "Indiquez le nom de la régie", `id="float-erreur"`, `id="code-erreur"`, "Code de régie invalide", `value="bib"`)
		for _, c := range []struct{ field, value, want string }{
			{"code", "ENF", "existe déjà"},
			{"code", "bib", "Code de régie invalide"},
			{"timezone", "Mars/Olympus", "Fuseau horaire inconnu"},
			{"timezone", "Local", "Fuseau horaire inconnu"},
			{"deposit_days", "45", "entre 1 et 31"},
			{"accounts", "FR73 3000 1004 9000 0001 2345 006", "IBAN invalide"},
			{"payfip_client", "12", "six chiffres"},
			{"reasons", "Livre rendu\nLivre rendu", "figure deux fois"},
			{"reasons", strings.Repeat("x", 81), "dépasse 80 caractères"},
		} {
			v := regieValues("BIB")
			v.Set(c.field, c.value)
			res, body := adm.send("/gestion/regies/nouvelle", v)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, c.want) {
				t.Errorf("%s=%q: %d, page lacks %q", c.field, c.value, res.StatusCode, c.want)
			}
		}
		v = regieValues("")
		v.Set("float", "beaucoup")
		res, body = adm.send("/gestion/regies/ENF/modifier", v)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `value="beaucoup"`) {
			t.Errorf("bad edit: %d", res.StatusCode)
		}
	})
	if res, _ := adm.send("/gestion/regies/NOPE/modifier", regieValues("")); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown régie: %d", res.StatusCode)
	}
}
