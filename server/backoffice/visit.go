package backoffice

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/netip"
	"time"

	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/store"
)

// visit is what a request of a logged-in staff member carries.
type visit struct {
	staff *store.Staff
	sess  *store.StaffSession
	// allRegies are every régie's code, read with the session: Regies(p)
	// filters them by the grants.
	allRegies []string
	// org is the organisation of the account and of the request's host,
	// city its name as pages show it.
	org, city string
	// client is the address the request came from (through the trusted
	// proxies), for the audit trail: staff actions are traced to where
	// they were made.
	client string
}

type visitHandler func(w http.ResponseWriter, r *http.Request, v *visit)

// cookieName is the session cookie's: the __Host- prefix makes browsers
// refuse it unless it is Secure, for the whole host and set by it.
func (b *Backoffice) cookieName() string {
	if b.cfg.InsecureCookies {
		return "regie_gestion"
	}
	return "__Host-regie-gestion"
}

func (b *Backoffice) setCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: b.cookieName(), Value: value, Path: "/", MaxAge: maxAge,
		Secure: !b.cfg.InsecureCookies, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// current reads the request's session and account from the database;
// nil when there is none, it has expired, or the account is disabled.
// Seen is written at most once a minute, so pages cost no write.
func (b *Backoffice) current(r *http.Request) (*visit, error) {
	c, err := r.Cookie(b.cookieName())
	if err != nil || c.Value == "" {
		return nil, nil
	}
	now := b.cfg.Now()
	hash := store.SessionHash(c.Value)
	v := &visit{client: b.clientAddr(r)}
	stale := false
	err = b.st.View(r.Context(), func(tx *store.Tx) error {
		s, err := tx.StaffSession(hash)
		if err != nil || s == nil {
			return err
		}
		if now.Sub(s.Seen) > b.cfg.Idle || now.Sub(s.Created) > b.cfg.MaxAge {
			stale = true
			return nil
		}
		st, err := tx.StaffByID(s.StaffID)
		if err != nil || st == nil || st.Disabled || st.Org != hostOrg(r) {
			// Another organisation's address: its cookie is worth nothing here.
			return err
		}
		if v.allRegies, err = tx.OrgRegies(st.Org); err != nil {
			return err
		}
		v.sess, v.staff, v.org, v.city = s, st, st.Org, b.cityOf(r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if stale {
		return nil, b.st.Update(r.Context(), func(tx *store.Tx) error { return tx.EndStaffSession(hash) })
	}
	if v.staff == nil {
		return nil, nil
	}
	if now.Sub(v.sess.Seen) > time.Minute {
		if err := b.st.Update(r.Context(), func(tx *store.Tx) error { return tx.TouchStaffSession(hash, now) }); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// startSession logs st in: a new session with its own CSRF token, any
// session the browser had is ended (an id planted before the login is
// worth nothing after it). secondFactor tells whether the login already
// proved it (or needs none).
func (b *Backoffice) startSession(w http.ResponseWriter, r *http.Request, tx *store.Tx, st *store.Staff,
	secondFactor bool, idToken string) error {
	if c, err := r.Cookie(b.cookieName()); err == nil && c.Value != "" {
		if err := tx.EndStaffSession(store.SessionHash(c.Value)); err != nil {
			return err
		}
	}
	now := b.cfg.Now()
	if err := tx.SweepStaffSessions(now.Add(-b.cfg.Idle), now.Add(-b.cfg.MaxAge)); err != nil {
		return err
	}
	token := randomToken()
	s := &store.StaffSession{IDHash: store.SessionHash(token), StaffID: st.ID, CSRF: randomToken(),
		SecondFactor: secondFactor, IDToken: idToken, Created: now, Seen: now}
	if err := tx.StartStaffSession(s); err != nil {
		return err
	}
	b.setCookie(w, token, 0)
	return nil
}

// clientAddr is the request's client address, through the trusted proxies.
func (b *Backoffice) clientAddr(r *http.Request) string {
	if a := auth.ClientAddr(r, b.cfg.TrustedProxies); a.IsValid() {
		return a.String()
	}
	return r.RemoteAddr
}

// clientKey names the network the request comes from: the address
// (through the trusted proxies; an IPv6 one cut to its /64) hashed, for
// rate limits, which keep no address in clear.
func (b *Backoffice) clientKey(r *http.Request) string {
	a := auth.ClientAddr(r, b.cfg.TrustedProxies)
	key := r.RemoteAddr
	if a.IsValid() {
		if a.Is6() && !a.Is4In6() {
			a = netip.PrefixFrom(a, 64).Masked().Addr()
		}
		key = a.String()
	}
	sum := sha256.Sum256([]byte("regie-gestion-client:" + key))
	return hex.EncodeToString(sum[:12])
}

// randomToken is 256 random bits, URL-safe.
func randomToken() string { return base64.RawURLEncoding.EncodeToString(randomKey()) }

func randomKey() []byte {
	k := make([]byte, 32)
	rand.Read(k)
	return k
}
