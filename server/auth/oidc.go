// Package auth logs citizens in to the portal: an OpenID Connect relying
// party made for FranceConnect v2 (state, nonce, acr_values, ID token and
// signed userinfo checked, logout through the provider), the portal's
// sessions (kept in a SessionStore: the database, shared by every server
// instance), CSRF tokens and the security headers of every
// answer. DevProvider is a small provider for demos and tests on loopback.
package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDCConfig names the OpenID Connect provider citizens log in with:
// FranceConnect's integration or production platform, or any other
// provider (the DevProvider for demos). Only the issuer is needed to find
// the rest, by discovery.
type OIDCConfig struct {
	// Issuer is the provider's identifier, from which discovery starts
	// ("https://fcp-low.integ01.dev-franceconnect.fr/api/v2").
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is the portal's callback, as registered with the
	// provider ("https://portail.ville.fr/connexion/retour").
	RedirectURL string
	// PostLogoutRedirectURL is where the provider sends the citizen back
	// after its logout ("https://portail.ville.fr/deconnexion/fin").
	PostLogoutRedirectURL string
	// Scopes default to FranceConnect's "openid given_name family_name
	// birthdate email".
	Scopes []string
	// ACRValues defaults to "eidas1", FranceConnect's level; the ID token's
	// acr claim must then say the same. "none" asks for no level.
	ACRValues string
	// Algorithms are the signatures accepted on the ID token and the
	// userinfo answer; FranceConnect v2 uses ES256 or RS256 (the default).
	Algorithms []string
	// ClientSecretBasic sends the client's secret in an Authorization
	// header; by default it goes in the token request's body
	// (client_secret_post, as FranceConnect expects).
	ClientSecretBasic bool
	// PKCE adds a code challenge (S256) to the authorisation request.
	PKCE bool
	// ProviderName is what the pages call the provider ("FranceConnect").
	ProviderName string
	// HTTPClient reaches the provider; nil is a client with a 10 s timeout.
	HTTPClient *http.Client
	// Now is the clock the token expiry is checked against.
	Now func() time.Time
}

// Identity is the citizen as the provider vouches for them. It is kept in
// the session only (the session's row, deleted at logout or once expired)
// and is never written to a log; only Subject, the provider's pseudonymous
// identifier, is stored beyond the session, to remember which households
// the citizen linked.
type Identity struct {
	Subject    string
	GivenName  string
	FamilyName string
	BirthDate  string // YYYY-MM-DD
	Email      string
	ACR        string
	// IDToken is the raw ID token, the hint the provider's logout needs.
	IDToken string
}

// Pending is a login in flight: the random values the provider must send
// back (state) or put in the ID token (nonce), and the PKCE verifier. It is
// sealed in a short-lived cookie (LoginCookies) and used once.
type Pending struct {
	State    string
	Nonce    string
	Verifier string
	Started  time.Time
	// RedirectURL, when set, is the callback of this login instead of the
	// configured one: a server serving several cities sends each back to
	// its own address (each must be registered with the provider).
	RedirectURL string `json:",omitempty"`
}

// NewPending draws a login's random values.
func NewPending(now time.Time) *Pending {
	return &Pending{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(), Started: now}
}

// OIDC is a relying party of one provider. Discovery happens on first use
// and is retried on the next login when the provider could not be reached,
// so the portal starts even while the provider is down.
type OIDC struct {
	cfg OIDCConfig

	mu         sync.Mutex
	provider   *oidc.Provider
	oauth      oauth2.Config
	idVerifier *oidc.IDTokenVerifier
	uiVerifier *oidc.IDTokenVerifier
	endSession string
}

// DefaultScopes are FranceConnect's scopes for the identity the portal shows.
var DefaultScopes = []string{oidc.ScopeOpenID, "given_name", "family_name", "birthdate", "email"}

// NewOIDC checks the configuration; nothing is fetched yet.
func NewOIDC(cfg OIDCConfig) (*OIDC, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("auth: oidc: issuer, client id and redirect URL are required")
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes
	}
	if cfg.ACRValues == "" {
		cfg.ACRValues = "eidas1"
	} else if cfg.ACRValues == "none" {
		cfg.ACRValues = ""
	}
	if len(cfg.Algorithms) == 0 {
		cfg.Algorithms = []string{oidc.ES256, oidc.RS256}
	}
	if cfg.ProviderName == "" {
		cfg.ProviderName = "FranceConnect"
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &OIDC{cfg: cfg}, nil
}

// ProviderName is what the pages call the provider.
func (o *OIDC) ProviderName() string { return o.cfg.ProviderName }

// Issuer is the provider's identifier, which with the subject names a
// person for good (the back-office binds staff accounts to the pair).
func (o *OIDC) Issuer() string { return o.cfg.Issuer }

// IssuerOrigin is the provider's scheme and host, which the portal's
// Content-Security-Policy must allow as a form target (a form's redirect
// to the provider's logout counts as a form submission).
func (o *OIDC) IssuerOrigin() string {
	u, err := url.Parse(o.cfg.Issuer)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

func (o *OIDC) clientContext(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, o.cfg.HTTPClient)
}

// discover fetches the provider's configuration once it is reachable.
func (o *OIDC) discover(ctx context.Context) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return nil
	}
	// The key set go-oidc builds keeps the context it is given: it must not
	// be a request's, which ends with the request.
	p, err := oidc.NewProvider(o.clientContext(context.WithoutCancel(ctx)), o.cfg.Issuer)
	if err != nil {
		return &LoginError{Reason: "discovery: " + err.Error(),
			Message: fmt.Sprintf("%s est injoignable pour le moment. Réessayez dans quelques minutes.", o.cfg.ProviderName)}
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&extra); err != nil {
		return &LoginError{Reason: "discovery claims: " + err.Error(),
			Message: fmt.Sprintf("%s a envoyé une configuration illisible.", o.cfg.ProviderName)}
	}
	style := oauth2.AuthStyleInParams
	if o.cfg.ClientSecretBasic {
		style = oauth2.AuthStyleInHeader
	}
	ep := p.Endpoint()
	ep.AuthStyle = style
	o.oauth = oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, Endpoint: ep,
		RedirectURL: o.cfg.RedirectURL, Scopes: o.cfg.Scopes}
	o.idVerifier = p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID, SupportedSigningAlgs: o.cfg.Algorithms, Now: o.cfg.Now})
	// The userinfo JWT carries iss, aud and sub like an ID token; its expiry,
	// when it has one, matters less than its signature and subject.
	o.uiVerifier = p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID, SupportedSigningAlgs: o.cfg.Algorithms,
		SkipExpiryCheck: true})
	o.endSession = extra.EndSession
	o.provider = p
	return nil
}

// AuthCodeURL is where the citizen's browser goes to log in: the
// provider's authorisation endpoint with state, nonce, acr_values and the
// scopes (and a PKCE challenge when configured).
func (o *OIDC) AuthCodeURL(ctx context.Context, p *Pending) (string, error) {
	if err := o.discover(ctx); err != nil {
		return "", err
	}
	opts := []oauth2.AuthCodeOption{oidc.Nonce(p.Nonce)}
	if p.RedirectURL != "" {
		opts = append(opts, oauth2.SetAuthURLParam("redirect_uri", p.RedirectURL))
	}
	if o.cfg.ACRValues != "" {
		opts = append(opts, oauth2.SetAuthURLParam("acr_values", o.cfg.ACRValues))
	}
	if o.cfg.PKCE {
		opts = append(opts, oauth2.S256ChallengeOption(p.Verifier))
	}
	return o.oauth.AuthCodeURL(p.State, opts...), nil
}

// LogoutURL is the provider's end-session endpoint with id_token_hint,
// state and post_logout_redirect_uri; "" when the provider has none (the
// portal then only ends its own session).
func (o *OIDC) LogoutURL(ctx context.Context, idToken, state string) (string, error) {
	if err := o.discover(ctx); err != nil {
		return "", err
	}
	if o.endSession == "" || idToken == "" {
		return "", nil
	}
	u, err := url.Parse(o.endSession)
	if err != nil {
		return "", fmt.Errorf("auth: end session endpoint: %w", err)
	}
	q := u.Query()
	q.Set("id_token_hint", idToken)
	q.Set("state", state)
	if o.cfg.PostLogoutRedirectURL != "" {
		q.Set("post_logout_redirect_uri", o.cfg.PostLogoutRedirectURL)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// sameSecret compares two secrets in constant time.
func sameSecret(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// hasSpace reports whether the space-separated list has v.
func hasSpace(list, v string) bool {
	for _, x := range strings.Fields(list) {
		if x == v {
			return true
		}
	}
	return false
}
