package publik

import (
	"bytes"
	"mime"
	"net/http"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/printing"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// invoiceJSON is an invoice with lingo's field names. Amounts are what the
// server knows: remaining_amount (and amount, which lingo sets to it) is
// the total less what every counter and online payment settled.
type invoiceJSON struct {
	ID              string  `json:"id"`
	DisplayID       string  `json:"display_id"`
	Label           string  `json:"label"`
	TotalAmount     amount  `json:"total_amount"`
	RemainingAmount amount  `json:"remaining_amount"`
	Amount          amount  `json:"amount"`
	Created         *string `json:"created"`
	// PayLimitDate is the due date while something remains due, "" once
	// paid (as lingo).
	PayLimitDate          string  `json:"pay_limit_date"`
	DueDate               *string `json:"due_date"`
	Paid                  bool    `json:"paid"`
	OnlinePayment         bool    `json:"online_payment"`
	NoOnlinePaymentReason string  `json:"no_online_payment_reason,omitempty"`
	HasPDF                bool    `json:"has_pdf"`
}

// Reasons an invoice is not payable online, lingo's codes.
const (
	reasonPastDue    = "past-due-date"
	reasonNoPayments = "no-payment-system-configured"
)

func date(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// toInvoice converts an invoice for Publik on the régie's day today.
func toInvoice(inv *portal.Invoice, reg *regie.Regie, today string) invoiceJSON {
	paid := inv.Remaining <= 0
	j := invoiceJSON{ID: inv.ID, DisplayID: inv.Number, Label: inv.Label, TotalAmount: amount(inv.Amount),
		RemainingAmount: amount(inv.Remaining), Amount: amount(inv.Remaining), Created: date(inv.IssuedOn),
		DueDate: date(inv.DueOn), Paid: paid, HasPDF: true}
	if paid {
		return j
	}
	j.PayLimitDate = inv.DueOn
	switch {
	case !reg.Allows(regie.Online):
		j.NoOnlinePaymentReason = reasonNoPayments
	case inv.DueOn != "" && inv.DueOn < today:
		j.NoOnlinePaymentReason = reasonPastDue
	default:
		j.OnlinePayment = true
	}
	return j
}

// today is the régie's calendar day now.
func (a *API) today(reg *regie.Regie) string {
	return regie.DayOf(a.cfg.Now(), store.RegieLocation(reg))
}

// invoices lists the household's open invoices (invoices/) or the settled
// ones (invoices/history/).
func (a *API) invoices(open bool) handler {
	return func(w http.ResponseWriter, r *http.Request, c *call) {
		s := a.scopeOf(w, r, c, true)
		if s == nil {
			return
		}
		list, err := a.st.Publik().Invoices(r.Context(), c.regie.Code, s.ids(), open)
		if err != nil {
			a.internal(w, "invoices", err)
			return
		}
		today := a.today(c.regie)
		out := make([]invoiceJSON, 0, len(list))
		for i := range list {
			out = append(out, toInvoice(&list[i], c.regie, today))
		}
		ok(w, out)
	}
}

// findInvoice reads the invoice of the path within the call's scope; it
// answers the refusal itself and returns nil then.
func (a *API) findInvoice(w http.ResponseWriter, r *http.Request, c *call) *portal.Invoice {
	s := a.scopeOf(w, r, c, false)
	if s == nil {
		return nil
	}
	inv, err := a.st.Publik().Invoice(r.Context(), c.regie.Code, r.PathValue("id"), s.ids())
	if err != nil {
		a.failErr(w, "invoice", err)
		return nil
	}
	return inv
}

// invoice answers one invoice.
func (a *API) invoice(w http.ResponseWriter, r *http.Request, c *call) {
	if inv := a.findInvoice(w, r, c); inv != nil {
		ok(w, toInvoice(inv, c.regie, a.today(c.regie)))
	}
}

// invoicePDF sends a copy of the invoice with what has been paid on it.
func (a *API) invoicePDF(w http.ResponseWriter, r *http.Request, c *call) {
	inv := a.findInvoice(w, r, c)
	if inv == nil {
		return
	}
	d := &printing.InvoiceData{Issuer: printing.Issuer{Regie: *c.regie}, Invoice: inv.Invoice, Paid: inv.Paid, At: a.cfg.Now()}
	err := a.st.View(r.Context(), func(tx *store.Tx) error {
		h, err := tx.Household(inv.HouseholdID)
		if h != nil {
			d.Household, d.Account, d.Address = h.Name, h.Account, h.Address
		}
		return err
	})
	if err != nil {
		a.internal(w, "invoice household", err)
		return
	}
	var b bytes.Buffer
	if err := printing.WriteInvoicePDF(&b, d); err != nil {
		a.internal(w, "invoice pdf", err)
		return
	}
	sendPDF(w, inv.Number, b.Bytes())
}

// sendPDF sends a PDF named after a number, the name quoted or encoded by
// mime.FormatMediaType (a number is data).
func sendPDF(w http.ResponseWriter, number string, pdf []byte) {
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": number + ".pdf"})
	if disp == "" {
		disp = mime.FormatMediaType("attachment", map[string]string{"filename": "document.pdf"})
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", disp)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(pdf)
}
