package backoffice

import "net/http"

// routes lists every page, one area a file (routes_<area>.go): the login
// first, which needs no session, then the areas behind b.page and b.form.
func (b *Backoffice) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET "+Prefix+"/static/", staticHandler(b.notFound))
	b.routesLogin(mux)
	b.routesDashboard(mux)
	b.routesSearch(mux)
	b.routesClosings(mux)
	b.routesBank(mux)
	b.routesManage(mux)
	b.routesStaff(mux)
	b.routesAudit(mux)
	return mux
}
