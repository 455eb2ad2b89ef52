package portal

import (
	"errors"
	"net/http"

	"github.com/regie-fr/regie/server/auth"
)

// loginStart begins a login: a fresh session holds the state, nonce and
// PKCE verifier, and the browser goes to the provider.
func (p *Portal) loginStart(w http.ResponseWriter, r *http.Request) {
	pend := auth.NewPending(p.cfg.Now())
	u, err := p.login.AuthCodeURL(r.Context(), pend)
	if err != nil {
		p.loginFailed(w, r, err)
		return
	}
	s := p.sessions.Start(w, r)
	p.sessions.Update(s.ID, func(x *auth.Session) { x.Pending = pend })
	http.Redirect(w, r, u, http.StatusFound)
}

// loginFailed shows why a login failed, in French, and logs the reason
// (which holds no personal data).
func (p *Portal) loginFailed(w http.ResponseWriter, r *http.Request, err error) {
	var le *auth.LoginError
	msg := "La connexion n'a pas abouti. Réessayez dans quelques minutes."
	if errors.As(err, &le) {
		msg = le.Message
		p.log.Warn("portal: login refused", "reason", le.Reason)
	} else {
		p.log.Error("portal: login", "err", err)
	}
	p.render(w, http.StatusForbidden, "login", &view{Title: "Connexion refusée", Nav: "connexion", Cfg: &p.cfg,
		Provider: p.login.ProviderName(), Error: msg})
}
