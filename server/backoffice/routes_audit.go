package backoffice

import "net/http"

// routesAudit is left for its area's helper.
func (b *Backoffice) routesAudit(mux *http.ServeMux) {}
