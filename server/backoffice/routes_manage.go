package backoffice

import "net/http"

// routesManage is left for its area's helper.
func (b *Backoffice) routesManage(mux *http.ServeMux) {}
