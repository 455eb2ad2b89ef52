package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// LoginCookies carry a login in flight (state, nonce, PKCE verifier) in
// the browser, sealed with AES-256-GCM under a key every server instance
// shares: starting a login stores nothing on the server, so no flood of
// anonymous starts can push a logged-in citizen's session out, and any
// instance can finish a login another one started. The cookie lives
// PendingTTL and is cleared when the login ends, whatever the outcome.
type LoginCookies struct {
	aead     cipher.AEAD
	name     string
	insecure bool
	now      func() time.Time
}

// PendingTTL is how long a citizen may take at the provider.
const PendingTTL = 10 * time.Minute

// NewLoginCookies seals with a 32-byte key (from crypto/rand, kept where
// every instance reads it: the database).
func NewLoginCookies(key []byte, insecure bool, now func() time.Time) (*LoginCookies, error) {
	name := "__Host-regie-login"
	if insecure {
		name = "regie_login"
	}
	return NewNamedLoginCookies(name, key, insecure, now)
}

// NewNamedLoginCookies is NewLoginCookies under another cookie name, for
// a second login on the same host (the back-office's staff beside the
// portal's citizens): each login keeps its own flight, and a value sealed
// for one cookie does not open as the other.
func NewNamedLoginCookies(name string, key []byte, insecure bool, now func() time.Time) (*LoginCookies, error) {
	if len(key) != 32 {
		return nil, errors.New("auth: login cookie key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &LoginCookies{aead: aead, name: name, insecure: insecure, now: now}, nil
}

// Set seals p into the login cookie.
func (c *LoginCookies) Set(w http.ResponseWriter, p *Pending) error {
	plain, err := json.Marshal(p)
	if err != nil {
		return err
	}
	nonce := make([]byte, c.aead.NonceSize())
	rand.Read(nonce)
	// The cookie's name is authenticated with the value: a value sealed
	// for another cookie does not open as this one.
	sealed := c.aead.Seal(nonce, nonce, plain, []byte(c.name))
	c.write(w, base64.RawURLEncoding.EncodeToString(sealed), int(PendingTTL/time.Second))
	return nil
}

// Take opens the request's login cookie and clears it: nil when there is
// none, it was tampered with, sealed under another key, or is older than
// PendingTTL.
func (c *LoginCookies) Take(w http.ResponseWriter, r *http.Request) *Pending {
	ck, err := r.Cookie(c.name)
	if err != nil || ck.Value == "" {
		return nil
	}
	c.write(w, "", -1)
	raw, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil || len(raw) < c.aead.NonceSize() {
		return nil
	}
	plain, err := c.aead.Open(nil, raw[:c.aead.NonceSize()], raw[c.aead.NonceSize():], []byte(c.name))
	if err != nil {
		return nil
	}
	var p Pending
	if json.Unmarshal(plain, &p) != nil {
		return nil
	}
	if age := c.now().Sub(p.Started); age < 0 || age > PendingTTL {
		return nil
	}
	return &p
}

func (c *LoginCookies) write(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: c.name, Value: value, Path: "/", MaxAge: maxAge,
		Secure: !c.insecure, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}
