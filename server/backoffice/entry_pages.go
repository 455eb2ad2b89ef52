package backoffice

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/printing"
	"github.com/regie-fr/regie/server/store"
)

// householdsView is a search for households: by account number, invoice
// number or name, within the régies the page is about.
type householdsView struct {
	Q        string
	Searched bool
	Rows     []store.HouseholdMatch
	// Regie is the régie of the entry form's search ("" on the
	// households page); Regies those the visitor may choose from.
	Regie  string
	Regies []option
	Link   func(id string) string
}

// Choose is the link of a household found.
func (h *householdsView) Choose(id string) string { return h.Link(id) }

// findHouseholds runs the search of ?q= within scope into data; a French
// problem is returned for the page.
func (b *Backoffice) findHouseholds(r *http.Request, scope []string, data *householdsView) (string, error) {
	data.Q = strings.TrimSpace(r.URL.Query().Get("q"))
	if data.Q == "" {
		return "", nil
	}
	data.Searched = true
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		data.Rows, err = tx.FindHouseholds(scope, data.Q)
		return err
	})
	if msg, ok := regieMessage(err); ok {
		return msg, nil
	}
	return "", err
}

// householdsPage finds households among those of the visitor's régies.
func (b *Backoffice) householdsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	data := &householdsView{Link: func(id string) string { return Prefix + "/foyers/" + url.PathEscape(id) }}
	problem, err := b.findHouseholds(r, v.Regies(PermView), data)
	if err != nil {
		b.internal(w, r, v, "find households", err)
		return
	}
	view := b.newView(v, "Foyers", "foyers", data)
	view.Error = problem
	b.render(w, http.StatusOK, "entry_households", view)
}

// householdView is a household's page: who it is and, per régie the
// visitor sees, its invoices, with what the visitor may do for it.
type householdView struct {
	H         *regie.Household
	Regies    []householdRegie
	CanExport bool
	Payments  string
}

type householdRegie struct {
	Code, Name string
	Invoices   []store.InvoiceState
	CanEnter   bool
}

func (b *Backoffice) householdPage(w http.ResponseWriter, r *http.Request, v *visit) {
	data := &householdView{}
	err := b.st.View(r.Context(), func(tx *store.Tx) error {
		h, m, err := tx.HouseholdInScope(v.Regies(PermView), r.PathValue("id"))
		if err != nil || h == nil {
			return err
		}
		data.H = h
		for _, code := range m.Regies {
			reg, err := tx.Regie(code)
			if err != nil || reg == nil {
				return err
			}
			invs, err := tx.HouseholdInvoices(code, h.ID)
			if err != nil {
				return err
			}
			data.Regies = append(data.Regies, householdRegie{Code: code, Name: reg.Name, Invoices: invs, CanEnter: v.Can(PermAct, code)})
			data.CanExport = data.CanExport || slices.Contains(exportScope(v), code)
		}
		return nil
	})
	if err != nil {
		b.internal(w, r, v, "household", err)
		return
	} else if data.H == nil {
		b.notFound(w, r)
		return
	}
	data.Payments = Prefix + "/paiements?compte=" + url.QueryEscape(data.H.Account)
	b.render(w, http.StatusOK, "entry_household", b.newView(v, "Foyer "+data.H.Name, "foyers", data))
}

// entryPage is the entry of a transfer or a direct debit: with a household
// chosen (?foyer=) the form, otherwise the search for the household within
// the régie.
func (b *Backoffice) entryPage(w http.ResponseWriter, r *http.Request, v *visit) {
	actable := v.Regies(PermAct)
	code := r.URL.Query().Get("regie")
	if code == "" && len(actable) == 1 {
		code = actable[0]
	}
	if code != "" && !v.Can(PermAct, code) {
		b.notFound(w, r)
		return
	}
	if id := r.URL.Query().Get("foyer"); id != "" && code != "" {
		d, err := b.loadEntryForm(r, code, id)
		if err != nil || d == nil {
			b.loadFailure(w, r, v, err)
			return
		}
		b.render(w, http.StatusOK, "entry_form", b.newView(v, "Saisie d'un virement ou d'un prélèvement", "saisie", d))
		return
	}
	data := &householdsView{Regie: code, Link: func(id string) string {
		return Prefix + "/saisie?" + url.Values{"regie": {code}, "foyer": {id}}.Encode()
	}}
	var problem string
	err := b.st.View(r.Context(), func(tx *store.Tx) error {
		for _, c := range actable {
			reg, err := tx.Regie(c)
			if err != nil {
				return err
			} else if reg != nil {
				data.Regies = append(data.Regies, option{c, reg.Name})
			}
		}
		return nil
	})
	if err == nil && code != "" {
		problem, err = b.findHouseholds(r, []string{code}, data)
	}
	if err != nil {
		b.internal(w, r, v, "entry search", err)
		return
	}
	view := b.newView(v, "Saisie d'un virement ou d'un prélèvement", "saisie", data)
	view.Error = problem
	b.render(w, http.StatusOK, "entry_search", view)
}

// loadEntryForm reads the régie, the household (only if it has invoices
// or payments in that régie) and its invoices there; nil when either is
// unknown to the régie.
func (b *Backoffice) loadEntryForm(r *http.Request, code, householdID string) (*entryFormData, error) {
	var d *entryFormData
	err := b.st.View(r.Context(), func(tx *store.Tx) error {
		reg, err := tx.Regie(code)
		if err != nil || reg == nil {
			return err
		}
		h, _, err := tx.HouseholdInScope([]string{code}, householdID)
		if err != nil || h == nil {
			return err
		}
		invs, err := tx.HouseholdInvoices(code, h.ID)
		if err != nil {
			return err
		}
		d = newEntryForm(reg, h, invs, b.cfg.Now())
		return nil
	})
	return d, err
}

// receiptPDF is a payment's receipt, as the portal and the counter print
// it (printing.WriteReceiptPDF from the journal's entry): found only within
// the régies the visitor may export, audited like every export.
func (b *Backoffice) receiptPDF(w http.ResponseWriter, r *http.Request, v *visit) {
	d, err := b.st.PaymentDetail(r.Context(), exportScope(v), r.PathValue("id"))
	if err != nil {
		b.storeFailure(w, r, v, "receipt", err)
		return
	}
	pdf, err := b.receiptDoc(r, d.Payment.HouseholdID, d.Payment.ID)
	b.sendPDF(w, r, v, err, pdf, "payment.receipt", d.Payment.Regie, d.Payment.ID, d.Payment.Receipt+".pdf")
}

// receiptDoc renders one receipt of a household (the portal's data).
func (b *Backoffice) receiptDoc(r *http.Request, householdID, paymentID string) ([]byte, error) {
	rd, err := b.st.Portal().Receipt(r.Context(), householdID, paymentID)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := printing.WriteReceiptPDF(&buf, rd, printing.PageA5); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// regieMessage is a domain error's French message.
func regieMessage(err error) (string, bool) {
	var re *regie.Error
	if errors.As(err, &re) {
		return re.Message, true
	}
	return "", false
}
