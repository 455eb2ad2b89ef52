package portal

import (
	"net/http"

	"github.com/regie-fr/regie"
)

// invoicesData is Mes factures: what is to pay, and what was paid.
type invoicesData struct {
	ToPay     []Invoice
	Paid      []Invoice
	Remaining regie.Money
	Today     string
}

// invoices lists the household's invoices: those with something left to
// pay, with the amount and the due date (overdue ones said so), then the
// paid ones.
func (p *Portal) invoices(w http.ResponseWriter, r *http.Request, v *visit) {
	list, err := p.st.Invoices(r.Context(), v.current.ID)
	if err != nil {
		p.internal(w, r, v, "invoices", err)
		return
	}
	d := invoicesData{Today: regie.DayOf(p.cfg.Now(), location(""))}
	for _, inv := range list {
		if inv.Remaining > 0 {
			d.ToPay = append(d.ToPay, inv)
			d.Remaining += inv.Remaining
		} else {
			d.Paid = append(d.Paid, inv)
		}
	}
	p.render(w, http.StatusOK, "invoices", p.newView(v, "Mes factures", "factures", d))
}
