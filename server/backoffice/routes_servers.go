package backoffice

import "net/http"

// routesServers is the view of the counters that live on the server — each
// régie's back-office counter (transfers, direct debits) and online counter
// (PayFiP, Publik) —, which the dashboard leaves out: they hold no cash.
// Their figures need PermOps; their last payments, which name households,
// PermView on the régie.
func (b *Backoffice) routesServers(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/postes-serveur", b.page(PermOps, b.serversPage))
}
