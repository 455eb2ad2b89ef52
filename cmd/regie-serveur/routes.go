package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/backoffice"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/publik"
	"github.com/regie-fr/regie/server/store"
)

// routes serves the counters' sync API and the citizen portal: its public
// pages (home, receipt check, accessibility statement) on every server, the
// citizens' login when an OpenID Connect provider (FranceConnect) is
// configured. HSTS is added when the server terminates TLS itself.
func routes(ctx context.Context, st *store.Store, cfg *config, log *slog.Logger) (http.Handler, error) {
	apiH := api.New(st, api.Options{Logger: log})
	base := strings.TrimRight(cfg.PublicURL, "/")
	if base == "" {
		base = strings.TrimRight(cfg.BaseURL, "/")
	}
	if base == "" {
		base = "http://" + cfg.Addr
	}
	proxies, err := auth.ParsePrefixes(cfg.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("REGIE_TRUSTED_PROXIES : %w", err)
	}
	var key []byte
	if err := st.Update(ctx, func(t *store.Tx) (err error) {
		key, err = t.Key("login-cookie", 32)
		return err
	}); err != nil {
		return nil, err
	}
	var login portal.Login
	if cfg.OIDCIssuer != "" {
		rp, err := auth.NewOIDC(auth.OIDCConfig{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID,
			ClientSecret: cfg.OIDCClientSecret, RedirectURL: base + "/connexion/retour",
			PostLogoutRedirectURL: base + "/deconnexion/fin"})
		if err != nil {
			return nil, err
		}
		login = rp
	}
	months, err := retentionMonths(cfg.PortalRetentionMonths)
	if err != nil {
		return nil, err
	}
	ph, err := portal.New(portal.Config{BaseURL: base, City: cfg.City, InsecureCookies: cfg.InsecureCookies == "1",
		TrustedProxies: proxies, LoginKey: key, Sessions: st.PortalSessions(), Logger: log, Privacy: portal.Privacy{DPO: cfg.DPO, RetentionMonths: months},
		Online: onlinePayments(st, cfg, base, log)}, st.Portal(), login)
	if err != nil {
		return nil, err
	}
	var staffLogin backoffice.Login
	if cfg.StaffOIDCIssuer != "" {
		scopes := strings.Fields(cfg.StaffOIDCScopes)
		if len(scopes) == 0 {
			scopes = backoffice.ProConnectScopes
		}
		name := cfg.StaffOIDCName
		if name == "" {
			name = "ProConnect"
		}
		rp, err := auth.NewOIDC(auth.OIDCConfig{Issuer: cfg.StaffOIDCIssuer, ClientID: cfg.StaffOIDCClientID,
			ClientSecret: cfg.StaffOIDCClientSecret, RedirectURL: base + backoffice.Prefix + "/connexion/retour",
			PostLogoutRedirectURL: base + backoffice.Prefix + "/connexion", ProviderName: name, Scopes: scopes,
			ACRValues: cfg.StaffOIDCACR})
		if err != nil {
			return nil, err
		}
		staffLogin = rp
	}
	bh, err := backoffice.New(backoffice.Config{PublicURL: base, City: cfg.City, InsecureCookies: cfg.InsecureCookies == "1",
		TrustedProxies: proxies, LoginKey: key, Logger: log, OIDCEmailBinding: cfg.StaffOIDCEmailBinding == "1"}, st, staffLogin)
	if err != nil {
		return nil, err
	}
	publikKeys, err := publik.ParseKeys(cfg.PublikKeys)
	if err != nil {
		return nil, fmt.Errorf("REGIE_PUBLIK_KEYS : %w", err)
	}
	mux := http.NewServeMux()
	publikOrgs, err := publik.ParseOrgs(cfg.PublikOrgs)
	if err != nil {
		return nil, fmt.Errorf("REGIE_PUBLIK_ORGS : %w", err)
	}
	mux.Handle(publik.Prefix, publik.New(st, publik.Config{Keys: publikKeys, Orgs: publikOrgs, BaseURL: base, Logger: log}))
	mux.Handle(backoffice.Prefix+"/", bh)
	mux.Handle("/api/", apiH)
	mux.Handle("/healthz", apiH)
	mux.Handle("/", ph)
	if cfg.TLSCert != "" {
		return auth.HSTS(mux), nil
	}
	return mux, nil
}
