package portal

import (
	"net/http"

	"github.com/regie-fr/regie"
)

// service is one invoice line with the invoice it is on.
type service struct {
	regie.InvoiceLine
	InvoiceID     string
	InvoiceNumber string
	IssuedOn      string
	RegieName     string
}

// services lists what the household was invoiced for, line by line: what,
// for whom, when, and on which invoice.
func (p *Portal) services(w http.ResponseWriter, r *http.Request, v *visit) {
	list, err := p.st.Invoices(r.Context(), v.current.ID)
	if err != nil {
		p.internal(w, r, v, "services", err)
		return
	}
	var out []service
	for _, inv := range list {
		for _, l := range inv.Lines {
			out = append(out, service{InvoiceLine: l, InvoiceID: inv.ID, InvoiceNumber: inv.Number,
				IssuedOn: inv.IssuedOn, RegieName: inv.RegieName})
		}
	}
	p.render(w, http.StatusOK, "services", p.newView(v, "Services", "services", out))
}
