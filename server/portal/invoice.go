package portal

import "net/http"

// invoice shows one of the household's invoices: its lines and the
// payments that settled it. An invoice of another household is not found.
func (p *Portal) invoice(w http.ResponseWriter, r *http.Request, v *visit) {
	inv, err := p.st.Invoice(r.Context(), v.current.ID, r.PathValue("id"))
	if err != nil {
		p.storeFailure(w, r, v, "invoice", err)
		return
	}
	p.render(w, http.StatusOK, "invoice", p.newView(v, "Facture "+inv.Number, "factures", &invoicePage{Invoice: inv, PayOnline: p.offersOnline(r, inv)}))
}
