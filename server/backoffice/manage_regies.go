package backoffice

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// regieForm is the régie's settings as typed: amounts in French ("1 234,50",
// "300 €"), the cancellation reasons one a line. A refused form comes back
// with exactly what was typed.
type regieForm struct {
	New                                 bool
	Code, Name, Address                 string
	CashCeiling, CashLimit, Float, Days string
	Timezone, Reasons                   string
	// Accounts are the régie's IBANs, one a line; PayFiP its client number.
	Accounts, PayFiP   string
	Modes              map[string]bool
	Partial, Anonymous bool
	Errors             fieldErrors
	AllModes           []regie.PaymentMode
	DefaultReasons     []string
}

// amountField is one of the form's amounts, typed in French.
type amountField struct{ Name, Label, Hint, Value string }

// AmountFields are the form's amounts in the order shown.
func (f *regieForm) AmountFields() []amountField {
	return []amountField{
		{"cash_ceiling", "Plafond d'encaisse", "Montant que la caisse peut détenir, fixé par l'acte constitutif (« 1 500 », « 1 234,50 € »).", f.CashCeiling},
		{"cash_limit", "Limite d'un paiement en espèces", "300 € pour une dette publique, sauf texte contraire.", f.CashLimit},
		{"float", "Fonds de caisse", "Monnaie laissée dans la caisse d'un jour à l'autre.", f.Float},
	}
}

// formOf fills the form from settings, amounts in the project's format.
func formOf(r *regie.Regie, isNew bool) *regieForm {
	f := &regieForm{New: isNew, Code: r.Code, Name: r.Name, Address: r.Address,
		CashCeiling: moneyField(r.CashCeiling), CashLimit: moneyField(r.CashLimit), Float: moneyField(r.Float),
		Days: strconv.Itoa(r.DepositPeriodDays), Timezone: r.Timezone, Reasons: strings.Join(r.CancelReasons, "\n"),
		Modes: map[string]bool{}, Partial: r.PartialPayments, Anonymous: r.AnonymousSales,
		Accounts: strings.Join(r.BankAccounts, "\n"), PayFiP: r.PayFiPClient}
	for _, m := range r.Modes {
		f.Modes[string(m)] = true
	}
	return f
}

// moneyField is an amount as a form shows it for editing ("1234,50"),
// which ParseMoney takes back.
func moneyField(m regie.Money) string { return m.FormatPlain() }

// readRegieForm reads the posted form over base (the current settings, or a
// new régie's defaults) and checks every field; the settings are returned
// only when the whole form is valid.
func readRegieForm(r *http.Request, base regie.Regie, isNew bool) (*regieForm, *regie.Regie) {
	pf := r.PostForm
	f := &regieForm{New: isNew, Code: base.Code, Name: pf.Get("name"), Address: pf.Get("address"),
		CashCeiling: pf.Get("cash_ceiling"), CashLimit: pf.Get("cash_limit"), Float: pf.Get("float"),
		Days: pf.Get("deposit_days"), Timezone: strings.TrimSpace(pf.Get("timezone")), Reasons: pf.Get("reasons"),
		Modes: map[string]bool{}, Partial: pf.Get("partial") == "1", Anonymous: pf.Get("anonymous") == "1",
		Accounts: pf.Get("accounts"), PayFiP: strings.TrimSpace(pf.Get("payfip_client")), Errors: fieldErrors{}}
	out := base
	if isNew {
		f.Code = strings.TrimSpace(pf.Get("code"))
		out.Code = f.Code
		if err := regie.CheckRegieCode(f.Code); err != nil {
			f.Errors.add("code", regie.ErrorMessage(err))
		}
	}
	out.Name, out.Address = strings.TrimSpace(f.Name), strings.TrimSpace(f.Address)
	out.Modes = nil
	for _, m := range pf["modes"] {
		mode := regie.PaymentMode(m)
		if !mode.Valid() {
			f.Errors.add("modes", "Mode de paiement inconnu.")
			continue
		}
		if !f.Modes[m] {
			out.Modes = append(out.Modes, mode)
		}
		f.Modes[m] = true
	}
	if len(out.Modes) == 0 {
		f.Errors.add("modes", "Cochez au moins un mode de paiement.")
	}
	for _, m := range []struct {
		field, text string
		dst         *regie.Money
	}{{"cash_ceiling", f.CashCeiling, &out.CashCeiling}, {"cash_limit", f.CashLimit, &out.CashLimit}, {"float", f.Float, &out.Float}} {
		v, err := regie.ParseMoney(m.text)
		if err != nil {
			f.Errors.add(m.field, regie.ErrorMessage(err))
			continue
		}
		*m.dst = v
	}
	if n, err := strconv.Atoi(strings.TrimSpace(f.Days)); err != nil {
		f.Errors.add("deposit_days", "Indiquez un nombre de jours, de 1 à 31.")
	} else {
		out.DepositPeriodDays = n
	}
	out.Timezone = f.Timezone
	out.PartialPayments, out.AnonymousSales = f.Partial, f.Anonymous
	out.CancelReasons = lines(f.Reasons)
	out.PayFiPClient, out.BankAccounts = f.PayFiP, nil
	for _, l := range lines(f.Accounts) {
		iban := regie.NormIBAN(l)
		if !regie.ValidIBAN(iban) {
			f.Errors.add("accounts", "IBAN invalide : « "+l+" » (vérifiez sa clé).")
			continue
		}
		if !slices.Contains(out.BankAccounts, iban) {
			out.BankAccounts = append(out.BankAccounts, iban)
		}
	}
	if slices.Equal(out.CancelReasons, regie.CancelReasons) {
		out.CancelReasons = nil // the default list, which follows the domain's
	}
	if strings.TrimSpace(f.Name) == "" {
		f.Errors.add("name", "Indiquez le nom de la régie.")
	}
	// The domain's rules (code, bounds, the list of reasons) are checked
	// even when a field is already refused, so that one submission shows
	// every fault.
	if err := out.Validate(); err != nil {
		if msg, _ := domainMessage(err); !slices.Contains(slices.Collect(maps.Values(f.Errors)), msg) {
			f.Errors.add("", msg)
		}
	}
	if len(f.Errors) > 0 {
		return f, nil
	}
	return f, &out
}

// regiesPage lists the régies the visitor administers.
func (b *Backoffice) regiesPage(w http.ResponseWriter, r *http.Request, v *visit) {
	allowed := v.Regies(PermAdmin)
	var list []regie.Regie
	err := b.st.View(r.Context(), func(tx *store.Tx) error {
		rs, err := tx.Regies()
		for _, x := range rs {
			if slices.Contains(allowed, x.Code) {
				list = append(list, x)
			}
		}
		return err
	})
	if err != nil {
		b.internal(w, r, v, "regies", err)
		return
	}
	b.render(w, http.StatusOK, "manage_regies", b.newView(v, "Régies et postes", "regies", list))
}

// regiePage shows a régie's settings, counters, agents and tariffs.
func (b *Backoffice) regiePage(w http.ResponseWriter, r *http.Request, v *visit) {
	reg := b.managedRegie(w, r, v)
	if reg == nil {
		return
	}
	data := struct {
		Regie    *regie.Regie
		Counters []counterRow
		Agents   []regie.Agent
		Items    []regie.CatalogueItem
	}{Regie: reg}
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		cs, err := tx.CountersOf(reg.Code)
		if err != nil {
			return err
		}
		for _, c := range cs {
			data.Counters = append(data.Counters, counterRow{c, counterStates[c.State]})
		}
		if data.Agents, err = tx.Agents(reg.Code); err != nil {
			return err
		}
		data.Items, err = tx.Items(reg.Code)
		return err
	})
	if err != nil {
		b.internal(w, r, v, "regie", err)
		return
	}
	view := b.newView(v, reg.Name+" ("+reg.Code+")", "regies", data)
	view.Notice = noticeOf(r.URL.Query())
	b.render(w, http.StatusOK, "manage_regie", view)
}

// notices are the confirmations a redirect after a change asks for (by a
// fixed key, so no text of the address reaches the page).
var notices = map[string]string{
	"regie":  "Régie enregistrée : les postes recevront ses réglages à leur prochaine synchronisation.",
	"agent":  "Agent enregistré : les postes le recevront à leur prochaine synchronisation.",
	"pin":    "Nouveau code enregistré : les postes le recevront à leur prochaine synchronisation.",
	"tarif":  "Tarif enregistré : les postes le recevront à leur prochaine synchronisation.",
	"revoke": "Poste révoqué : le serveur refuse désormais ses envois.",
}

func noticeOf(q url.Values) string { return notices[q.Get("ok")] }

// newRegiePage is the empty form of a new régie.
func (b *Backoffice) newRegiePage(w http.ResponseWriter, r *http.Request, v *visit) {
	if !v.Can(PermAdmin, "") {
		b.forbidden(w, r, v)
		return
	}
	base := store.NewRegieSettings("")
	base.Modes = []regie.PaymentMode{regie.Cash, regie.Check}
	b.regieForm(w, v, http.StatusOK, formOf(&base, true))
}

func (b *Backoffice) regieForm(w http.ResponseWriter, v *visit, status int, f *regieForm) {
	f.AllModes, f.DefaultReasons = regie.Modes, regie.CancelReasons
	title := "Nouvelle régie"
	if !f.New {
		title = "Modifier la régie " + f.Code
	}
	view := b.newView(v, title, "regies", f)
	view.Error = formMessage(f.Errors)
	b.render(w, status, "manage_regie_form", view)
}

// createRegie saves a new régie. Only an administrator of every régie
// (a grant without a régie) may create one: a new régie is in nobody's
// grants yet.
func (b *Backoffice) createRegie(w http.ResponseWriter, r *http.Request, v *visit) {
	if !v.Can(PermAdmin, "") {
		b.forbidden(w, r, v)
		return
	}
	r.ParseForm()
	f, reg := readRegieForm(r, store.NewRegieSettings(""), true)
	if reg == nil {
		b.regieForm(w, v, http.StatusBadRequest, f)
		return
	}
	err := b.st.Update(r.Context(), func(tx *store.Tx) error {
		if err := tx.CreateRegieIn(v.org, reg); err != nil {
			return err
		}
		return b.audit(tx, v, "regie.create", reg.Code, reg.Code, changes(nil, reg))
	})
	if !b.formSaved(w, r, v, err, f.Errors, func() { b.regieForm(w, v, http.StatusBadRequest, f) }) {
		return
	}
	http.Redirect(w, r, Prefix+"/regies/"+reg.Code+"?ok=regie", http.StatusSeeOther)
}

// editRegiePage is the form of a régie's settings.
func (b *Backoffice) editRegiePage(w http.ResponseWriter, r *http.Request, v *visit) {
	if reg := b.managedRegie(w, r, v); reg != nil {
		b.regieForm(w, v, http.StatusOK, formOf(reg, false))
	}
}

// updateRegie saves a régie's settings; the old and new values of what
// changed go to the audit trail.
func (b *Backoffice) updateRegie(w http.ResponseWriter, r *http.Request, v *visit) {
	old := b.managedRegie(w, r, v)
	if old == nil {
		return
	}
	r.ParseForm()
	f, reg := readRegieForm(r, *old, false)
	if reg == nil {
		b.regieForm(w, v, http.StatusBadRequest, f)
		return
	}
	err := b.st.Update(r.Context(), func(tx *store.Tx) error {
		current, err := tx.Regie(old.Code)
		if err != nil {
			return err
		}
		diff := changes(current, reg)
		if len(diff) == 0 {
			return nil // nothing changed: no new version for the counters
		}
		if err := tx.SaveRegie(reg, false); err != nil {
			return err
		}
		return b.audit(tx, v, "regie.update", reg.Code, reg.Code, diff)
	})
	if !b.formSaved(w, r, v, err, f.Errors, func() { b.regieForm(w, v, http.StatusBadRequest, f) }) {
		return
	}
	http.Redirect(w, r, Prefix+"/regies/"+reg.Code+"?ok=regie", http.StatusSeeOther)
}

// formSaved answers a failed save: a domain error is shown on the form
// (again) with what was typed, anything else is an internal error. It
// returns true when err is nil.
func (b *Backoffice) formSaved(w http.ResponseWriter, r *http.Request, v *visit, err error, errs fieldErrors, again func()) bool {
	if err == nil {
		return true
	}
	if msg, ok := domainMessage(err); ok {
		errs.add("", msg)
		again()
		return false
	}
	b.internal(w, r, v, "save", err)
	return false
}
