package backoffice

import (
	"net/http"
)

// routesEntry is the households and what the régisseur does for one: find
// a household (PermView, within the régies the visitor sees), enter a
// transfer or a direct debit it paid to the régie's account (PermAct on
// that régie), and download any payment's receipt (PermExport, audited).
func (b *Backoffice) routesEntry(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/foyers", b.page(PermView, b.householdsPage))
	mux.HandleFunc("GET "+Prefix+"/foyers/{id}", b.page(PermView, b.householdPage))
	mux.HandleFunc("GET "+Prefix+"/saisie", b.page(PermAct, b.entryPage))
	mux.HandleFunc("POST "+Prefix+"/saisie", b.form(PermAct, b.entryRecord))
	mux.HandleFunc("GET "+Prefix+"/paiements/{id}/recu.pdf", b.page(PermExport, b.receiptPDF))
}
