package portal

import (
	"net/http"
	"time"

	"github.com/regie-fr/regie/server/auth"
)

// pendingTTL is how long a citizen may take at the provider.
const pendingTTL = 10 * time.Minute

// loginCallback is where the provider sends the citizen back. The pending
// login is taken out of the session before anything is checked, so a
// state is never accepted twice; on success the session moves to a new id.
func (p *Portal) loginCallback(w http.ResponseWriter, r *http.Request) {
	s := p.sessions.Get(r)
	var pend *auth.Pending
	if s != nil {
		p.sessions.Update(s.ID, func(x *auth.Session) { pend, x.Pending = x.Pending, nil })
	}
	if pend != nil && p.cfg.Now().Sub(pend.Started) > pendingTTL {
		pend = nil
	}
	id, err := p.login.Finish(r.Context(), pend, r.URL.Query())
	if err != nil {
		p.loginFailed(w, r, err)
		return
	}
	if s == nil {
		p.loginFailed(w, r, &auth.LoginError{Reason: "no session", Message: "Votre session a expiré : recommencez la connexion."})
		return
	}
	p.sessions.Rotate(w, s, func(x *auth.Session) { x.Identity = id })
	p.log.Info("portal: login")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
