package backoffice

import "net/http"

// routesClosings is left for its area's helper.
func (b *Backoffice) routesClosings(mux *http.ServeMux) {}
