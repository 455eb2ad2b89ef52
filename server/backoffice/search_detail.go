package backoffice

import (
	"net/http"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// detailView is a payment's page.
type detailView struct {
	D    *store.PaymentDetail
	Loc  *time.Location
	Back string
	// ReceiptPDF is the receipt's download, for who may export the régie.
	ReceiptPDF string
	// Cancel is the cancellation form, when the visitor may cancel it here.
	Cancel *cancelForm
}

// When writes an instant in the payment's régie's time zone.
func (d *detailView) When(t time.Time) string { return t.In(d.Loc).Format("02/01/2006 à 15:04:05") }

// detailView is what a payment's page shows to v: the receipt's download
// for who may export, the cancellation form for who may cancel it here.
func (b *Backoffice) detailView(r *http.Request, v *visit, d *store.PaymentDetail) (*detailView, error) {
	data := &detailView{D: d, Loc: location(d.Timezone), Back: Prefix + "/paiements"}
	if v.Can(PermExport, d.Payment.Regie) {
		data.ReceiptPDF = Prefix + "/paiements/" + d.Payment.ID + "/recu.pdf"
	}
	var err error
	data.Cancel, err = b.cancelFormFor(r, v, d)
	return data, err
}

// paymentPage shows one payment: found only within the régies the visitor
// may see, and otherwise the same 404 as an unknown id.
func (b *Backoffice) paymentPage(w http.ResponseWriter, r *http.Request, v *visit) {
	d, err := b.st.PaymentDetail(r.Context(), v.Regies(PermView), r.PathValue("id"))
	if err != nil {
		b.storeFailure(w, r, v, "payment detail", err)
		return
	}
	data, err := b.detailView(r, v, d)
	if err != nil {
		b.internal(w, r, v, "payment detail", err)
		return
	}
	view := b.newView(v, "Paiement "+d.Payment.Receipt, "paiements", data)
	if r.URL.Query().Get("annule") != "" && d.Cancellation != nil {
		view.Notice = "Le paiement a été annulé : l'annulation est inscrite au journal du poste " + d.Payment.Counter + "."
	}
	if r.URL.Query().Get("enregistre") != "" {
		view.Notice = "Le paiement a été enregistré au journal du poste " + d.Payment.Counter + " : reçu " + d.Payment.Receipt + "."
	}
	b.render(w, http.StatusOK, "search_detail", view)
}

// Tender says what a tender's extra fields hold, in French.
func (d *detailView) Tender(t regie.Tender) string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+" "+v)
		}
	}
	if t.Tendered > 0 {
		add("remis", t.Tendered.String())
	}
	if t.Change > 0 {
		add("rendu", t.Change.String())
	}
	add("chèque n°", t.CheckNumber)
	add("banque", t.Bank)
	add("tireur", t.Drawer)
	add("autorisation", t.Authorisation)
	add("carte", t.MaskedPAN)
	add("référence", t.Reference)
	add("date de valeur", frDay(t.ValueDate))
	if t.Count > 0 {
		add("titres :", itoa(t.Count))
	}
	if t.Keyed {
		parts = append(parts, "saisie manuelle")
	}
	return joinComma(parts)
}
