// Package publik is the API Publik (Entr'ouvert's citizen platform) calls
// to show a household's invoices and payments and to record the payments
// its users make online: the endpoints and fields of a lingo "remote
// régie" (docs/publik.md), under /api/regie/<slug>/, every call signed
// (auth.SignedURLs). It reads what the portal reads, links Publik users to
// households through the portal's own linking (store.PortalStore.Link),
// and records payments through server/ledger on the régie's online
// counter, so a payment made through Publik has a receipt, a journal entry
// and a closing like any other, and shows on the portal.
package publik

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/store"
)

// Prefix is where the API is mounted.
const Prefix = "/api/regie/"

// Config is the API's configuration.
type Config struct {
	// Keys maps each caller (Publik's orig) to its shared secret.
	Keys map[string][]byte
	// BaseURL is the portal's public address, for the receipts' QR codes.
	BaseURL string
	Logger  *slog.Logger
	Now     func() time.Time
	// LinkLimit bounds a Publik user's failed linking attempts in
	// LinkWindow (5 in one hour by default, as on the portal).
	LinkLimit  int
	LinkWindow time.Duration
	// Orgs binds callers to an organisation (ParseOrgs).
	Orgs map[string]string
}

// API serves the Publik endpoints.
type API struct {
	st     *store.Store
	cfg    Config
	log    *slog.Logger
	signed *auth.SignedURLs
	mux    *http.ServeMux
}

// New builds the API on the store.
func New(st *store.Store, cfg Config) *API {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.LinkLimit <= 0 {
		cfg.LinkLimit = 5
	}
	if cfg.LinkWindow <= 0 {
		cfg.LinkWindow = time.Hour
	}
	a := &API{st: st, cfg: cfg, log: cfg.Logger,
		signed: &auth.SignedURLs{Keys: cfg.Keys, Nonces: st.PublikNonces(), Now: cfg.Now}}
	a.routes()
	return a
}

// call is one verified request: who signed it, what it asked, the régie.
type call struct {
	q     *auth.SignedQuery
	regie *regie.Regie
	// org is the régie's organisation: households are looked up in it;
	// base its portal's address, which receipts print.
	org, base string
}

// handler is an endpoint, given the verified call.
type handler func(w http.ResponseWriter, r *http.Request, c *call)

func (a *API) routes() {
	m := http.NewServeMux()
	for pattern, h := range map[string]handler{
		"GET " + Prefix + "{slug}/invoices/{$}":          a.invoices(true),
		"GET " + Prefix + "{slug}/invoices/history/{$}":  a.invoices(false),
		"GET " + Prefix + "{slug}/invoice/{id}/{$}":      a.invoice,
		"GET " + Prefix + "{slug}/invoice/{id}/pdf/{$}":  a.invoicePDF,
		"POST " + Prefix + "{slug}/invoice/{id}/pay/{$}": a.pay,
		"GET " + Prefix + "{slug}/payments/{$}":          a.payments,
		"GET " + Prefix + "{slug}/payment/{id}/pdf/{$}":  a.receiptPDF,
		"GET " + Prefix + "{slug}/households/{$}":        a.households,
		"POST " + Prefix + "{slug}/link/{$}":             a.link,
		"POST " + Prefix + "{slug}/unlink/{$}":           a.unlink,
	} {
		m.Handle(pattern, a.withRegie(h))
	}
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fail(w, http.StatusNotFound, "Adresse inconnue de l'API Publik.")
	})
	a.mux = m
}

// ServeHTTP checks the signature before anything else, so that an unsigned
// caller learns nothing, not even which régies exist.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q, err := a.signed.Verify(r.Context(), r.URL.RawQuery)
	var se *auth.SignatureError
	switch {
	case errors.As(err, &se):
		a.log.Info("publik: signature refused", "reason", se.Reason, "path", r.URL.Path)
		fail(w, http.StatusForbidden, se.Message)
		return
	case err != nil:
		a.internal(w, "verify", err)
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), queryKey{}, q))
	a.mux.ServeHTTP(w, r)
}

type queryKey struct{}

// withRegie finds the régie named in the path (its code in lower case)
// and runs h with the verified call.
func (a *API) withRegie(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, _ := r.Context().Value(queryKey{}).(*auth.SignedQuery)
		if q == nil {
			fail(w, http.StatusForbidden, "Adresse non signée.")
			return
		}
		slug := r.PathValue("slug")
		if slug != strings.ToLower(slug) {
			fail(w, http.StatusNotFound, "Régie inconnue : l'adresse porte son code en minuscules.")
			return
		}
		reg, err := a.st.Publik().RegieBySlug(r.Context(), slug)
		if err != nil {
			a.internal(w, "regie", err)
			return
		} else if reg == nil {
			fail(w, http.StatusNotFound, "Régie inconnue.")
			return
		}
		org, host, orgs, err := a.st.Publik().Tenancy(r.Context(), reg.Code)
		if err != nil {
			a.internal(w, "regie", err)
			return
		} else if !a.mayCall(q.Orig, org, orgs) {
			a.log.Warn("publik: a caller asked for another organisation's régie", "orig", q.Orig, "regie", reg.Code)
			fail(w, http.StatusNotFound, "Régie inconnue.")
			return
		}
		h(w, r, &call{q: q, regie: reg, org: org, base: a.baseOf(host)})
	})
}
