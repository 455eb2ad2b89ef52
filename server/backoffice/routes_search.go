package backoffice

import "net/http"

// routesSearch is left for its area's helper.
func (b *Backoffice) routesSearch(mux *http.ServeMux) {}
