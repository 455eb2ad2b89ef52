package publik

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/printing"
	"github.com/regie-fr/regie/server/store"
)

// paymentJSON is a payment with lingo's field names: display_id is the
// receipt number, payment_type the modes' French names, created the
// régie's day of the payment.
type paymentJSON struct {
	ID          string `json:"id"`
	DisplayID   string `json:"display_id"`
	PaymentType string `json:"payment_type"`
	Amount      amount `json:"amount"`
	Created     string `json:"created"`
	HasPDF      bool   `json:"has_pdf"`
	// Cancelled says the payment was cancelled at the counter (it still
	// shows, as on the portal and the receipt).
	Cancelled bool `json:"cancelled"`
}

// paymentType names the modes of a payment, "Espèces + Chèque" for a
// split one.
func paymentType(modes []regie.PaymentMode) string {
	var names []string
	seen := map[regie.PaymentMode]bool{}
	for _, m := range modes {
		if !seen[m] {
			seen[m] = true
			names = append(names, m.Label())
		}
	}
	return strings.Join(names, " + ")
}

func toPayment(p *store.PublikPayment) paymentJSON {
	return paymentJSON{ID: p.ID, DisplayID: p.Receipt, PaymentType: paymentType(p.Modes), Amount: amount(p.Total),
		Created: p.Day, HasPDF: true, Cancelled: p.Cancelled}
}

// payments lists the household's payments in the régie, every counter and
// mode, latest first.
func (a *API) payments(w http.ResponseWriter, r *http.Request, c *call) {
	s := a.scopeOf(w, r, c, true)
	if s == nil {
		return
	}
	list, err := a.st.Publik().Payments(r.Context(), c.regie.Code, s.ids())
	if err != nil {
		a.internal(w, "payments", err)
		return
	}
	out := make([]paymentJSON, 0, len(list))
	for i := range list {
		out = append(out, toPayment(&list[i]))
	}
	ok(w, out)
}

// receiptPDF sends the payment's receipt: the portal's, built by
// store.PortalStore.Receipt and printed by printing.WriteReceiptPDF, with
// the same verification QR code.
func (a *API) receiptPDF(w http.ResponseWriter, r *http.Request, c *call) {
	s := a.scopeOf(w, r, c, false)
	if s == nil {
		return
	}
	id := r.PathValue("id")
	h, err := a.st.Publik().PaymentHousehold(r.Context(), c.regie.Code, id, s.ids())
	if err != nil {
		a.failErr(w, "payment", err)
		return
	}
	d, err := a.st.Portal().Receipt(r.Context(), h, id)
	if err != nil {
		a.failErr(w, "receipt", err)
		return
	}
	d.VerifyURL = verifyURL(c.base, d.Payment.Receipt, d.Hash)
	var b bytes.Buffer
	if err := printing.WriteReceiptPDF(&b, d, printing.PageA5); err != nil {
		a.internal(w, "receipt pdf", err)
		return
	}
	sendPDF(w, d.Payment.Receipt, b.Bytes())
}

// verifyURL is the portal's receipt check the QR code encodes, as the
// portal and the counter print it.
func verifyURL(base, receipt, hash string) string {
	if len(hash) > 16 {
		hash = hash[:16]
	}
	return base + "/verifier?recu=" + url.QueryEscape(receipt) + "&empreinte=" + hash
}
