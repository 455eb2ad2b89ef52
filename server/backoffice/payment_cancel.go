package backoffice

import (
	"errors"
	"net/http"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/store"
)

// cancelForm is the cancellation form a payment's page offers when the
// visitor may cancel it: a payment of the régie's back-office counter
// (entered by hand or matched from a statement), of today, not cancelled.
type cancelForm struct {
	Action  string
	Reasons []string
	Reason  string
	Comment string
}

// cancelFormFor is the form for d, or nil when d cannot be cancelled by v
// here (a desk's payment is cancelled at its desk; an online payment is
// refunded through PayFiP or Publik).
func (b *Backoffice) cancelFormFor(r *http.Request, v *visit, d *store.PaymentDetail) (*cancelForm, error) {
	if d.Cancellation != nil || !v.Can(PermAct, d.Payment.Regie) ||
		d.Payment.Counter != store.ServerCounterCode(string(regie.ChannelBackOffice)) {
		return nil, nil
	}
	var reg *regie.Regie
	var bank bool
	if err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		if bank, err = tx.FromBankStatement(d.Payment.ID); err != nil {
			return err
		}
		reg, err = tx.Regie(d.Payment.Regie)
		return err
	}); err != nil || reg == nil || bank {
		return nil, err
	}
	if regie.DayOf(b.cfg.Now(), store.RegieLocation(reg)) != d.Payment.Day {
		return nil, nil
	}
	return &cancelForm{Action: Prefix + "/paiements/" + d.Payment.ID + "/annuler", Reasons: reg.Reasons()}, nil
}

// paymentCancel cancels a payment of the back-office counter: a new entry
// of that counter's journal (ledger.Cancel) and its audit entry, in one
// transaction; a refusal is shown on the payment's page and writes nothing.
func (b *Backoffice) paymentCancel(w http.ResponseWriter, r *http.Request, v *visit) {
	d, err := b.st.PaymentDetail(r.Context(), v.Regies(PermAct), r.PathValue("id"))
	if err != nil {
		b.storeFailure(w, r, v, "payment detail", err)
		return
	}
	req := ledger.CancelRequest{Regie: d.Payment.Regie, PaymentID: d.Payment.ID, Reason: r.PostFormValue("motif"),
		Comment: strings.TrimSpace(strings.ToValidUTF8(r.PostFormValue("commentaire"), "")), Agent: v.staff.ID}
	if len(req.Comment) > 500 {
		req.Comment = req.Comment[:500]
	}
	err = b.st.Update(r.Context(), func(tx *store.Tx) error {
		x, err := ledger.Cancel(tx, req, b.cfg.Now())
		if err != nil {
			return err
		}
		return b.audit(tx, v, "payment.cancel", d.Payment.Regie, d.Payment.Receipt,
			map[string]any{"payment": d.Payment.ID, "cancellation": x.ID, "reason": x.Reason, "comment": x.Comment})
	})
	var re *regie.Error
	if err == nil {
		http.Redirect(w, r, Prefix+"/paiements/"+d.Payment.ID+"?annule=1", http.StatusSeeOther)
		return
	} else if !errors.As(err, &re) {
		b.internal(w, r, v, "payment cancel", err)
		return
	}
	data, err := b.detailView(r, v, d)
	if err != nil {
		b.internal(w, r, v, "payment cancel", err)
		return
	}
	if data.Cancel != nil {
		data.Cancel.Reason, data.Cancel.Comment = req.Reason, req.Comment
	}
	view := b.newView(v, "Paiement "+d.Payment.Receipt, "paiements", data)
	view.Error = "Rien n'a été annulé : " + re.Message
	b.render(w, http.StatusBadRequest, "search_detail", view)
}
