package backoffice

import (
	"errors"

	"github.com/google/uuid"
	"net/http"
	"net/url"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/store"
)

// errEntryRefused rolls back an entry whose form has errors (in
// d.Errors): nothing is written.
var errEntryRefused = errors.New("backoffice: entry refused")

// entryRecord records the posted form on the régie's back-office counter
// through ledger.Record, with its audit entry, in one transaction; the
// form comes back with its errors, nothing written, when anything is
// wrong. Success (or the same form sent again) leads to the payment's page.
func (b *Backoffice) entryRecord(w http.ResponseWriter, r *http.Request, v *visit) {
	code, ok := actRegie(r, v)
	if !ok {
		b.forbidden(w, r, v)
		return
	}
	d, err := b.loadEntryForm(r, code, r.PostFormValue("foyer"))
	if err != nil || d == nil {
		b.loadFailure(w, r, v, err)
		return
	}
	d.read(r.PostForm)
	var p *regie.Payment
	status := http.StatusBadRequest
	if len(d.Errors) == 0 {
		err = b.st.Update(r.Context(), func(tx *store.Tx) error {
			req, err := d.settle(tx, v.staff.ID)
			if err != nil {
				return err
			}
			var created bool
			p, created, err = ledger.Record(tx, *req, b.cfg.Now())
			if err != nil || !created {
				return err // sent again: the payment recorded the first time
			}
			invoices := make([]string, len(p.Allocations))
			for i, a := range p.Allocations {
				invoices[i] = a.InvoiceNumber
			}
			return b.audit(tx, v, "payment.entry", code, p.ID, map[string]any{"receipt": p.Receipt,
				"total": p.Total, "mode": d.Mode, "value_date": d.ValueDate, "reference": d.Reference,
				"invoices": invoices, "credit_approved": p.CreditApprovedBy != ""})
		})
		var re *regie.Error
		switch {
		case err == nil:
			http.Redirect(w, r, Prefix+"/paiements/"+url.PathEscape(p.ID)+"?enregistre=1", http.StatusSeeOther)
			return
		case errors.Is(err, errEntryRefused):
		case errors.As(err, &re) && re.Code == regie.EConflict && d.recorded != "":
			// This form was recorded, then changed and sent again: the
			// payment stands as recorded; what is shown now is a new form.
			status = http.StatusConflict
			d.Errors = append(d.Errors, "Ce formulaire a déjà été enregistré (reçu "+d.recorded+") avec d'autres montants : "+
				"consultez ce paiement avant d'en saisir un autre. Le formulaire ci-dessous saisira un nouveau paiement.")
			d.Key = uuid.NewString()
		case errors.As(err, &re):
			d.Errors = append(d.Errors, re.Message)
			if regie.ClassOf(re.Code) == regie.ClassConflict {
				status = http.StatusConflict
			}
		default:
			b.internal(w, r, v, "record entry", err)
			return
		}
	}
	view := b.newView(v, "Saisie d'un virement ou d'un prélèvement", "saisie", d)
	view.Error = "Le paiement n'a pas été enregistré : corrigez les points signalés."
	b.render(w, status, "entry_form", view)
}

// settle builds the payment the form describes, against the invoices as
// they stand in the recording transaction: each of this household and
// régie, and the amount on each by regie.SettleInvoice (the desk's rules:
// more than remains only with the régisseur's consent, ticked on the form
// by the régisseur or suppléant who records, the excess as the
// allocation's credit; less only if the régie allows partial payments). A form already
// recorded under its key is described as it was, so that ledger.Record
// returns that payment instead of refusing what its own first sending paid.
func (d *entryFormData) settle(tx *store.Tx, staffID string) (*ledger.Request, error) {
	done, err := tx.PaymentDetail([]string{d.Regie.Code}, ledger.PaymentID(d.Regie.Code, ledger.SourceBackOffice, d.Key))
	if err != nil && regie.ErrorCodeOf(err) != regie.EPaymentNotFound {
		return nil, err
	}
	again := done != nil
	if again {
		d.recorded = done.Payment.Receipt
	}
	req := &ledger.Request{Regie: d.Regie.Code, Channel: regie.ChannelBackOffice, Source: ledger.SourceBackOffice,
		Key: d.Key, Agent: staffID, HouseholdID: d.Household.ID, Account: d.Household.Account, Payer: d.Payer}
	if req.Payer == "" {
		req.Payer = d.Household.Name
	}
	for _, l := range d.Lines {
		if l.amount == 0 {
			continue
		}
		inv, err := tx.Invoice(l.Invoice.ID)
		if err != nil {
			return nil, err
		}
		if inv == nil || inv.Regie != d.Regie.Code || inv.HouseholdID != d.Household.ID {
			d.Errors = append(d.Errors, "La facture "+l.Invoice.Number+" n'est pas une facture de ce foyer dans cette régie.")
			continue
		}
		a := regie.Allocation{InvoiceID: inv.ID, InvoiceNumber: inv.Number, Label: inv.Label, Amount: l.amount}
		if !again {
			credit, err := regie.SettleInvoice(d.Regie, inv.Number, inv.Remaining, l.amount, d.Credit)
			if msg, ok := regieMessage(err); ok {
				if regie.ErrorCodeOf(err) == regie.EOverRemaining {
					msg += " Pour l'accepter, cochez la case du trop-perçu."
				}
				d.Errors = append(d.Errors, msg)
			} else if err != nil {
				return nil, err
			} else if credit > 0 {
				a.Credit, req.CreditApprovedBy = credit, staffID
			}
		}
		req.Allocations = append(req.Allocations, a)
	}
	if again {
		req.CreditApprovedBy = done.Payment.CreditApprovedBy
	}
	if len(d.Errors) > 0 {
		return nil, errEntryRefused
	}
	req.Tenders = []regie.Tender{{Mode: regie.PaymentMode(d.Mode), Amount: d.Total(), Reference: d.Reference,
		ValueDate: d.ValueDate}}
	return req, nil
}
