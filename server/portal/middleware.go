package portal

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/netip"

	"github.com/regie-fr/regie/server/auth"
)

// visit is what a request of a logged-in citizen carries: the session, the
// households linked to the identity and the one being looked at.
type visit struct {
	sess       *auth.Session
	households []Household
	current    *Household
	// site is the organisation the request is for.
	site *site
}

type visitHandler func(w http.ResponseWriter, r *http.Request, v *visit)

// citizen runs h for a logged-in citizen, with their linked households
// read afresh (an unlink from another browser takes effect at once); others
// are sent to the login page, or refused for a form.
func (p *Portal) citizen(h visitHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, err := p.sessions.Get(r)
		if err != nil {
			p.internal(w, r, nil, "read session", err)
			return
		}
		if !s.LoggedIn() {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/connexion", http.StatusSeeOther)
				return
			}
			p.fail(w, r, nil, http.StatusForbidden, "Session expirée",
				"Votre session a expiré : reconnectez-vous puis recommencez.")
			return
		}
		hs, err := p.st.LinkedHouseholds(r.Context(), p.orgCode(r), s.Identity.Subject)
		if err != nil {
			p.internal(w, r, nil, "linked households", err)
			return
		}
		v := &visit{sess: s, households: hs, site: p.siteOf(r)}
		for i := range hs {
			if hs[i].ID == s.Household {
				v.current = &hs[i]
			}
		}
		if v.current == nil && len(hs) > 0 {
			v.current = &hs[0]
		}
		h(w, r, v)
		if len(s.Notices) > 0 && r.Method == http.MethodGet {
			// Shown once: the page just rendered carried them.
			if err := p.updateSession(r, v, func(x *auth.Session) { x.Notices = nil }); err != nil {
				p.log.Error("portal: forget notices", "err", err)
			}
		}
	}
}

// household runs h for a citizen who has linked a household; one who has
// not is sent to link one.
func (p *Portal) household(h visitHandler) http.HandlerFunc {
	return p.citizen(func(w http.ResponseWriter, r *http.Request, v *visit) {
		if v.current == nil {
			http.Redirect(w, r, "/foyers", http.StatusSeeOther)
			return
		}
		h(w, r, v)
	})
}

// csrf refuses a form that does not carry the session's token.
func (p *Portal) csrf(h visitHandler) visitHandler {
	return func(w http.ResponseWriter, r *http.Request, v *visit) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		if !auth.CheckCSRF(r, v.sess, p.siteOf(r).origin) {
			p.log.Warn("portal: csrf refused", "path", r.URL.Path)
			p.fail(w, r, v, http.StatusForbidden, "Formulaire refusé",
				"Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.")
			return
		}
		h(w, r, v)
	}
}

// clientKey names the network the request comes from, for rate limits
// only: the address (auth.ClientAddr: through the trusted proxies; an IPv6
// one cut to its /64, which one subscriber holds whole) hashed, so that
// the store keeps no address.
func (p *Portal) clientKey(r *http.Request) string {
	a := auth.ClientAddr(r, p.cfg.TrustedProxies)
	key := r.RemoteAddr
	if a.IsValid() {
		if a.Is6() {
			a = netip.PrefixFrom(a, 64).Masked().Addr()
		}
		key = a.String()
	}
	sum := sha256.Sum256([]byte("regie-portal-client:" + key))
	return hex.EncodeToString(sum[:12])
}
