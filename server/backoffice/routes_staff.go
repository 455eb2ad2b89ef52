package backoffice

import "net/http"

// routesStaff is left for its area's helper.
func (b *Backoffice) routesStaff(mux *http.ServeMux) {}
