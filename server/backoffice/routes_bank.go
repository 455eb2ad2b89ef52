package backoffice

import "net/http"

// routesBank: the statements of the régies' bank accounts. The list, a
// statement's entries, the credits waiting to be identified and an entry's
// page need PermView on the régie; importing a statement and deciding on a
// credit (assign, split, leave as a credit) need PermAct — the régisseur
// or the suppléant — and are recorded in the audit trail in the same
// transaction as the payments they make.
func (b *Backoffice) routesBank(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/banque", b.page(PermView, b.bankList))
	mux.HandleFunc("POST "+Prefix+"/banque/releves", b.form(PermAct, b.bankImport))
	mux.HandleFunc("GET "+Prefix+"/banque/releves/{id}", b.page(PermView, b.bankStatement))
	mux.HandleFunc("GET "+Prefix+"/banque/a-identifier", b.page(PermView, b.bankPending))
	mux.HandleFunc("GET "+Prefix+"/banque/ecritures/{id}", b.page(PermView, b.bankEntry))
	mux.HandleFunc("POST "+Prefix+"/banque/ecritures/{id}/affecter", b.form(PermAct, b.bankAssign))
	mux.HandleFunc("POST "+Prefix+"/banque/ecritures/{id}/laisser", b.form(PermAct, b.bankLeave))
}
