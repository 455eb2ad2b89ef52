package portal

import (
	"errors"
	"net/http"

	"github.com/regie-fr/regie/server/auth"
)

// loginStart begins a login: the state, nonce and PKCE verifier go into a
// sealed short-lived cookie (auth.LoginCookies), never into the server's
// sessions, so anonymous starts cannot crowd out logged-in citizens. A
// citizen already logged in keeps their session and goes to the portal.
func (p *Portal) loginStart(w http.ResponseWriter, r *http.Request) {
	if p.session(r).LoggedIn() {
		http.Redirect(w, r, "/paiements", http.StatusSeeOther)
		return
	}
	pend := auth.NewPending(p.cfg.Now())
	if s := p.siteOf(r); s.org.Host != "" {
		pend.RedirectURL = s.base + "/connexion/retour" // back to this city's address
	}
	u, err := p.login.AuthCodeURL(r.Context(), pend)
	if err != nil {
		p.loginFailed(w, r, err)
		return
	}
	if err := p.pending.Set(w, pend); err != nil {
		p.internal(w, r, nil, "login cookie", err)
		return
	}
	http.Redirect(w, r, u, http.StatusFound)
}

// loginFailed shows why a login failed, in French, and logs the reason
// (which holds no personal data).
func (p *Portal) loginFailed(w http.ResponseWriter, r *http.Request, err error) {
	var le *auth.LoginError
	msg := "La connexion n'a pas abouti. Réessayez dans quelques minutes."
	status := http.StatusForbidden
	if errors.Is(err, errNoLogin) {
		status = http.StatusServiceUnavailable
	}
	if errors.As(err, &le) {
		msg = le.Message
		p.log.Warn("portal: login refused", "reason", le.Reason)
	} else {
		p.log.Error("portal: login", "err", err)
	}
	v := p.newView(&visit{site: p.siteOf(r)}, "Connexion refusée", "connexion", nil)
	v.Error = msg
	p.render(w, status, "login", v)
}
