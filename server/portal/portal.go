// Package portal serves the citizens' portal: a household's payments at
// every counter and online, its receipts as PDF (the very document the
// counter prints), its invoices and the services they were for, and the
// public check of a paper receipt. Citizens log in with FranceConnect (any
// OpenID Connect provider) and link their household with the access code
// printed on the invoices mailed to it, when the identity the provider
// vouches for is an adult of the household, or with a one-time slip an
// agent printed at a counter. Pages are server-rendered French HTML with no
// JavaScript. The public pages (home, receipt check, accessibility) are
// served even when no provider is configured.
package portal

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/regie-fr/regie/server/auth"
)

// Config is the portal's settings, read by cmd/regie-serveur.
type Config struct {
	// BaseURL is the portal's public address ("https://paiements.ville.fr"),
	// used in the receipts' verification URL.
	BaseURL string
	// City names the city in titles and the footer ("Ville de Montaigu").
	City string
	// SiteName defaults to "Mes paiements à la mairie".
	SiteName string
	Footer   Footer
	// Accessibility fills the accessibility statement.
	Accessibility Accessibility
	// Privacy fills the privacy notice (/confidentialite).
	Privacy Privacy
	// InsecureCookies drops the cookies' Secure attribute: only for
	// http://127.0.0.1 during development.
	InsecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (auth.ClientAddr).
	TrustedProxies []netip.Prefix
	// LinkLimitIdentity bounds an identity's failed linking attempts in
	// LinkWindow (default 5 in one hour): it is the control, since an
	// identity is a person FranceConnect vouches for. LinkLimitClient
	// (default 20) bounds those from one network address, and applies only
	// when TrustedProxies are set: without them the server cannot tell a
	// proxy or a city's NAT, behind which every citizen shares one address,
	// from a client, and such a limit would let anyone lock out the whole
	// city. A wrong access code gains nothing anyway unless the identity is
	// an adult of the household, and slip codes have 77 random bits.
	LinkLimitIdentity int
	LinkLimitClient   int
	LinkWindow        time.Duration
	// LoginKey seals the login in flight in a cookie (32 bytes, shared by
	// every instance: cmd/regie-serveur keeps it in the database); nil
	// draws one for this process only.
	LoginKey []byte
	// Sessions keeps the citizens' sessions (cmd/regie-serveur gives the
	// database's, shared by every instance); nil keeps them in this
	// process's memory, for tests only.
	Sessions auth.SessionStore
	// MaxHeaderBytes bounds a request's header (default 32 KiB): a larger
	// one gets the French 431 page. The http.Server's own limit must be
	// larger, or Go answers in plain English before the portal sees it.
	MaxHeaderBytes int
	// PaymentsCacheBytes bounds the memory kept for rendered Mes paiements
	// tables (default 32 MB; negative: none kept, every page built afresh).
	PaymentsCacheBytes int
	// Online is the online payment service (PayFiP) offered on open
	// invoices; nil: none.
	Online OnlinePayments
	Logger *slog.Logger
	Now    func() time.Time
}

// Footer is what the bottom of every page says.
type Footer struct {
	// Lines are free text: the city's address, the publisher.
	Lines []string
	// Links are the legal notices, personal data, contact…
	Links []Link
	// Funding defaults to the funding mention of the ANCT.
	Funding string
}

// Link is a labelled URL.
type Link struct {
	Label string
	URL   string
}

// Accessibility is the content of the accessibility statement (RGAA 4.1).
type Accessibility struct {
	// Status defaults to "non conforme" until an audit says otherwise.
	Status  string
	Contact string // an e-mail address or a URL to report a problem
	Audit   string // "audit interne du 27 novembre 2026"
}

// DefaultFunding is the funding mention the footer carries by default.
const DefaultFunding = "Soutenu par l'Incubateur des Territoires de l'ANCT dans le cadre du plan France Relance"

// Login is the identity provider as the portal uses it; *auth.OIDC is one.
// nil when none is configured: the public pages are served, and the home
// page says the login is not open yet.
type Login interface {
	AuthCodeURL(ctx context.Context, p *auth.Pending) (string, error)
	Finish(ctx context.Context, p *auth.Pending, callback url.Values) (*auth.Identity, error)
	LogoutURL(ctx context.Context, idToken, state string) (string, error)
	ProviderName() string
	IssuerOrigin() string
}

// Portal holds what the handlers share.
type Portal struct {
	cfg      Config
	st       Store
	login    Login
	sessions *auth.Sessions
	pending  *auth.LoginCookies
	// origin is the portal's public origin, which forms must come from.
	origin string
	mux    *http.ServeMux
	log    *slog.Logger
	pages  *pages
	// paymentsCache keeps Mes paiements per household and version.
	paymentsCache *paymentsCache
}

// New builds the portal's handler. It serves everything under "/" but
// /api/ and /healthz, which cmd/regie-serveur routes to the sync API.
func New(cfg Config, st Store, login Login) (http.Handler, error) {
	p, err := newPortal(cfg, st, login)
	if err != nil {
		return nil, err
	}
	p.mux = p.routes()
	return auth.SecurityHeaders(http.HandlerFunc(p.serve), p.login.IssuerOrigin(), p.onlineOrigin()), nil
}

func newPortal(cfg Config, st Store, login Login) (*Portal, error) {
	if cfg.SiteName == "" {
		cfg.SiteName = "Mes paiements à la mairie"
	}
	if cfg.Footer.Funding == "" {
		cfg.Footer.Funding = DefaultFunding
	}
	if cfg.Accessibility.Status == "" {
		cfg.Accessibility.Status = "non conforme"
	}
	if cfg.LinkLimitIdentity <= 0 {
		cfg.LinkLimitIdentity = 5
	}
	if cfg.LinkLimitClient <= 0 {
		cfg.LinkLimitClient = 20
	}
	if cfg.LinkWindow <= 0 {
		cfg.LinkWindow = time.Hour
	}
	if cfg.PaymentsCacheBytes == 0 {
		cfg.PaymentsCacheBytes = 32 << 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxHeaderBytes <= 0 {
		cfg.MaxHeaderBytes = 32 << 10
	}
	if login == nil {
		login = noLogin{}
	}
	if cfg.LoginKey == nil {
		cfg.LoginKey = make([]byte, 32)
		rand.Read(cfg.LoginKey)
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	origin := ""
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Host != "" {
		origin = u.Scheme + "://" + u.Host
	}
	pending, err := auth.NewLoginCookies(cfg.LoginKey, cfg.InsecureCookies, cfg.Now)
	if err != nil {
		return nil, err
	}
	pg, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Portal{cfg: cfg, st: st, login: login, log: cfg.Logger, pages: pg, pending: pending, origin: origin,
		paymentsCache: newPaymentsCache(cfg.PaymentsCacheBytes),
		sessions: auth.NewSessions(auth.SessionConfig{InsecureCookies: cfg.InsecureCookies, Now: cfg.Now,
			Store: cfg.Sessions})}, nil
}

// routes lists every page: public ones, then those that need a login, then
// those that need a linked household.
func (p *Portal) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", staticHandler(p.notFound))
	mux.HandleFunc("GET /{$}", p.home)
	mux.HandleFunc("GET /organisation.css", p.orgStyle)
	mux.HandleFunc("GET /connexion", p.loginPage)
	mux.HandleFunc("GET /connexion/franceconnect", p.loginStart)
	mux.HandleFunc("GET /connexion/retour", p.loginCallback)
	mux.HandleFunc("POST /deconnexion", p.logout)
	mux.HandleFunc("GET /deconnexion/fin", p.logoutDone)
	mux.HandleFunc("GET /verifier", p.verify)
	mux.HandleFunc("GET /accessibilite", p.accessibility)
	mux.HandleFunc("GET /confidentialite", p.privacy)

	mux.HandleFunc("GET /foyers", p.citizen(p.households))
	mux.HandleFunc("POST /foyers/lier", p.citizen(p.csrf(p.householdLink)))
	mux.HandleFunc("POST /foyers/delier", p.citizen(p.csrf(p.householdUnlink)))
	mux.HandleFunc("POST /foyers/choisir", p.citizen(p.csrf(p.householdChoose)))

	mux.HandleFunc("GET /paiements", p.household(p.payments))
	mux.HandleFunc("GET /paiements/{id}/recu.pdf", p.household(p.receipt))
	mux.HandleFunc("GET /factures", p.household(p.invoices))
	mux.HandleFunc("GET /factures/{id}", p.household(p.invoice))
	mux.HandleFunc("GET /services", p.household(p.services))
	mux.HandleFunc("GET /attestations", p.household(p.attestations))
	mux.HandleFunc("GET /attestations/{file}", p.household(p.attestation))
	mux.HandleFunc("POST /factures/{id}/payer", p.household(p.csrf(p.payOnline)))
	mux.HandleFunc("POST /payfip/notification", p.payfipNotification)
	mux.HandleFunc("GET /payfip/retour", p.payfipReturn)
	mux.HandleFunc("POST /payfip/retour", p.payfipReturnPost)
	return mux
}
