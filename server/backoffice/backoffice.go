// Package backoffice serves the régisseurs' back-office under /gestion/:
// every régie and counter of the city on one screen (the dashboard), the
// journal searched across counters, closings, deposits and the comptable
// public's checks, and the management of régies, counters, agents, tariffs
// and back-office accounts. Staff log in with a local account (password,
// and a TOTP second factor, required for administrators) or through an
// OpenID Connect provider such as ProConnect. Every page and export is
// scoped by the visitor's grants (roles per régie), every state-changing
// form carries a CSRF token, and every action that changes or exports
// something is recorded in the chained audit trail in the same transaction.
// Pages are server-rendered French HTML with no JavaScript, like the portal.
package backoffice

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/store"
	"golang.org/x/crypto/bcrypt"
)

// Prefix is where the back-office lives on the server.
const Prefix = "/gestion"

// Config is the back-office's settings, read by cmd/regie-serveur.
type Config struct {
	// PublicURL is the server's public address ("https://regie.ville.fr"):
	// forms must come from its origin, and the provider sends staff back to
	// PublicURL + "/gestion/connexion/retour".
	PublicURL string
	// City names the city in titles ("Ville de Montaigu").
	City string
	// InsecureCookies drops the cookies' Secure attribute: only for
	// http://127.0.0.1 during development.
	InsecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (auth.ClientAddr), for the audit trail and rate limits.
	TrustedProxies []netip.Prefix
	// LoginKey seals the OpenID Connect login in flight in a cookie (32
	// bytes shared by every instance: cmd/regie-serveur keeps it in the
	// database); nil draws one for this process only.
	LoginKey []byte
	// PasswordCost is bcrypt's cost for new passwords (default 12; the
	// tests use bcrypt.MinCost).
	PasswordCost int
	// OIDCEmailBinding lets the first OpenID Connect login of an identity
	// bind it to the enabled account whose e-mail is the one the provider
	// sends, when that account has no identity yet and no other account
	// has that e-mail. Only for a provider that vouches for its agents'
	// e-mails (ProConnect: the administration's own directory); off, an
	// administrator binds each identity from the account's page.
	OIDCEmailBinding bool
	// Idle and MaxAge end sessions (default 30 minutes idle, 10 hours).
	Idle, MaxAge time.Duration
	Logger       *slog.Logger
	Now          func() time.Time
}

// Login is the OpenID Connect provider as the back-office uses it (ProConnect
// or any provider); *auth.OIDC is one. nil when none is configured: only
// local accounts can log in.
type Login interface {
	AuthCodeURL(ctx context.Context, p *auth.Pending) (string, error)
	Finish(ctx context.Context, p *auth.Pending, callback url.Values) (*auth.Identity, error)
	LogoutURL(ctx context.Context, idToken, state string) (string, error)
	ProviderName() string
	// Issuer names the provider; with the subject, it names a person.
	Issuer() string
	IssuerOrigin() string
}

// Backoffice holds what the handlers share.
type Backoffice struct {
	cfg   Config
	st    *store.Store
	login Login
	log   *slog.Logger
	pages *pages
	mux   *http.ServeMux
	// origin is the public origin forms must come from ("" when unknown:
	// the request's own host is compared).
	origin  string
	pending *auth.LoginCookies
	// dummyHash is compared with the password typed for an unknown login,
	// so that the answer takes as long as for a known one.
	dummyHash string
}

// New builds the back-office's handler; it serves every path under
// /gestion/ and nothing else.
func New(cfg Config, st *store.Store, login Login) (http.Handler, error) {
	b, err := newBackoffice(cfg, st, login)
	if err != nil {
		return nil, err
	}
	b.mux = b.routes()
	issuer := ""
	if b.login != nil {
		issuer = b.login.IssuerOrigin()
	}
	return auth.SecurityHeaders(http.HandlerFunc(b.serve), issuer), nil
}

func newBackoffice(cfg Config, st *store.Store, login Login) (*Backoffice, error) {
	if cfg.PasswordCost == 0 {
		cfg.PasswordCost = 12
	}
	if cfg.PasswordCost < bcrypt.MinCost {
		cfg.PasswordCost = bcrypt.MinCost
	}
	if cfg.Idle <= 0 {
		cfg.Idle = 30 * time.Minute
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = 10 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	origin := ""
	if u, err := url.Parse(cfg.PublicURL); err == nil && u.Host != "" {
		origin = u.Scheme + "://" + u.Host
	}
	if cfg.LoginKey == nil {
		cfg.LoginKey = randomKey()
	}
	name := "__Host-regie-gestion-login"
	if cfg.InsecureCookies {
		name = "regie_gestion_login"
	}
	pending, err := auth.NewNamedLoginCookies(name, cfg.LoginKey, cfg.InsecureCookies, cfg.Now)
	if err != nil {
		return nil, err
	}
	pg, err := parsePages()
	if err != nil {
		return nil, err
	}
	dummy, err := bcrypt.GenerateFromPassword(randomKey()[:16], cfg.PasswordCost)
	if err != nil {
		return nil, err
	}
	return &Backoffice{cfg: cfg, st: st, login: login, log: cfg.Logger, pages: pg, origin: origin,
		pending: pending, dummyHash: string(dummy)}, nil
}
