package main

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// routes serves the counters' sync API, and the citizen portal when an
// OpenID Connect provider (FranceConnect) is configured.
func routes(st *store.Store, cfg *config, log *slog.Logger) (http.Handler, error) {
	apiH := api.New(st, api.Options{Logger: log})
	if cfg.OIDCIssuer == "" {
		return apiH, nil
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = "http://" + cfg.Addr
	}
	rp, err := auth.NewOIDC(auth.OIDCConfig{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID,
		ClientSecret: cfg.OIDCClientSecret, RedirectURL: base + "/connexion/retour",
		PostLogoutRedirectURL: base + "/deconnexion/fin"})
	if err != nil {
		return nil, err
	}
	ph, err := portal.New(portal.Config{BaseURL: base, City: cfg.City, InsecureCookies: cfg.InsecureCookies == "1",
		Logger: log}, st.Portal(), rp)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", apiH)
	mux.Handle("/healthz", apiH)
	mux.Handle("/", ph)
	return mux, nil
}
