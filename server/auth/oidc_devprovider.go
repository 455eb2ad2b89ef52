package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// DevUser is an identity the DevProvider offers; Subject is what
// FranceConnect calls "sub", stable for one citizen and one portal.
type DevUser struct {
	Subject    string `json:"sub"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	BirthDate  string `json:"birthdate"`
	Email      string `json:"email"`
}

// DevProvider is a small OpenID Connect provider that behaves like
// FranceConnect v2 where the portal can tell: discovery, ES256 keys in a
// JWKS, nonce and acr in the ID token, a userinfo answer signed as a JWT,
// an end-session endpoint that checks id_token_hint. It serves the demo
// (`make run`) and the tests on loopback; it has no password, so it must
// never face the Internet. Its signatures are made by go-jose.
type DevProvider struct {
	ClientID     string
	ClientSecret string
	Users        []DevUser
	// RedirectURIs are the client's registered addresses: the callback and
	// the post-logout return. Any other redirect_uri or
	// post_logout_redirect_uri is refused without a redirect, as a real
	// provider does, so the provider cannot be used to send codes elsewhere.
	RedirectURIs []string
	// TokenTTL is the ID token's lifetime (default 60 s, as FranceConnect).
	TokenTTL time.Duration
	Now      func() time.Time

	mu      sync.Mutex
	issuer  string
	keys    []*ecdsa.PrivateKey // the last one signs; all are published
	kids    []string
	codes   map[string]*devGrant
	tokens  map[string]*devGrant
	logouts int
}

// devGrant is what one authorisation gave: to whom, for which client
// request, with what nonce.
type devGrant struct {
	user                 DevUser
	nonce, acr, redirect string
	challenge, method    string
	expires              time.Time
}

// NewDevProvider makes a provider with one fresh ES256 key; call SetIssuer
// with its URL before serving.
func NewDevProvider(clientID, clientSecret string, users []DevUser) (*DevProvider, error) {
	p := &DevProvider{ClientID: clientID, ClientSecret: clientSecret, Users: users, TokenTTL: time.Minute,
		Now: time.Now, codes: map[string]*devGrant{}, tokens: map[string]*devGrant{}}
	if err := p.RotateKey(); err != nil {
		return nil, err
	}
	return p, nil
}

// SetIssuer fixes the URL the provider is reached at, which its tokens name
// as their issuer.
func (p *DevProvider) SetIssuer(u string) {
	p.mu.Lock()
	p.issuer = u
	p.mu.Unlock()
}

// Issuer is the provider's URL.
func (p *DevProvider) Issuer() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.issuer
}

// RotateKey adds a new signing key; earlier ones stay published, as a real
// provider does during a rotation.
func (p *DevProvider) RotateKey() error {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("auth: dev provider key: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = append(p.keys, k)
	p.kids = append(p.kids, fmt.Sprintf("dev-%d-%s", len(p.keys), randomToken()[:8]))
	return nil
}

// Logouts counts the end-session requests the provider accepted.
func (p *DevProvider) Logouts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logouts
}

// Sign signs claims with the provider's current key (ES256) as a compact
// JWT. Tests use it to forge tokens that are well signed but wrong in some
// other way (expired, another nonce).
func (p *DevProvider) Sign(claims any) (string, error) {
	p.mu.Lock()
	key, kid := p.keys[len(p.keys)-1], p.kids[len(p.kids)-1]
	p.mu.Unlock()
	return SignJWT(key, kid, claims)
}

// SignJWT signs claims with an ECDSA P-256 key as a compact ES256 JWT.
func SignJWT(key *ecdsa.PrivateKey, kid string, claims any) (string, error) {
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid)
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, opts)
	if err != nil {
		return "", fmt.Errorf("auth: signer: %w", err)
	}
	s, err := jwt.Signed(sig).Claims(claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("auth: sign: %w", err)
	}
	return s, nil
}

// ServeHTTP routes the provider's endpoints.
func (p *DevProvider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		p.discovery(w)
	case "/jwks":
		p.jwks(w)
	case "/authorize":
		p.authorize(w, r)
	case "/token":
		p.token(w, r)
	case "/userinfo":
		p.userinfo(w, r)
	case "/session/end":
		p.endSession(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (p *DevProvider) discovery(w http.ResponseWriter) {
	iss := p.Issuer()
	writeJSON(w, map[string]any{
		"issuer": iss, "authorization_endpoint": iss + "/authorize", "token_endpoint": iss + "/token",
		"userinfo_endpoint": iss + "/userinfo", "jwks_uri": iss + "/jwks", "end_session_endpoint": iss + "/session/end",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"ES256"},
		"userinfo_signing_alg_values_supported": []string{"ES256"},
		"scopes_supported":                      []string{"openid", "given_name", "family_name", "birthdate", "email"},
		"acr_values_supported":                  []string{"eidas1"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "client_secret_basic"},
		"code_challenge_methods_supported":      []string{"S256"},
	})
}

func (p *DevProvider) jwks(w http.ResponseWriter) {
	p.mu.Lock()
	set := jose.JSONWebKeySet{}
	for i, k := range p.keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: &k.PublicKey, KeyID: p.kids[i], Algorithm: "ES256", Use: "sig"})
	}
	p.mu.Unlock()
	writeJSON(w, set)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}

func (p *DevProvider) user(sub string) (DevUser, error) {
	for _, u := range p.Users {
		if u.Subject == sub {
			return u, nil
		}
	}
	return DevUser{}, errors.New("unknown user")
}

// issuedIDToken tells whether raw is an ID token this provider signed for
// its client (expired ones included: a logout may come late).
func (p *DevProvider) issuedIDToken(raw string) bool {
	t, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		return false
	}
	p.mu.Lock()
	keys := append([]*ecdsa.PrivateKey(nil), p.keys...)
	p.mu.Unlock()
	for _, k := range keys {
		var c jwt.Claims
		if t.Claims(&k.PublicKey, &c) == nil {
			return c.Audience.Contains(p.ClientID) && c.Issuer == p.Issuer()
		}
	}
	return false
}

// registered tells whether u is one of the client's registered addresses.
func (p *DevProvider) registered(u string) bool {
	for _, r := range p.RedirectURIs {
		if u == r {
			return true
		}
	}
	return false
}
