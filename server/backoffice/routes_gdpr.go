package backoffice

import "net/http"

// routesGDPR is a household's data export (GDPR right of access): every
// piece of data the server holds on it within the régies the visitor may
// export, in one ZIP (PermExport, audited before the first byte leaves).
func (b *Backoffice) routesGDPR(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/foyers/{id}/export.zip", b.page(PermExport, b.householdExport))
}
