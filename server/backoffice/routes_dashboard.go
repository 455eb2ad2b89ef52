package backoffice

import "net/http"

func (b *Backoffice) routesDashboard(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/{$}", b.page(PermOps, b.dashboard))
}

// dashboard is a placeholder until the dashboard's figures land.
func (b *Backoffice) dashboard(w http.ResponseWriter, r *http.Request, v *visit) {
	b.render(w, http.StatusOK, "dashboard", b.newView(v, "Tableau de bord", "tableau", v.Regies(PermOps)))
}
