package portal

import (
	"fmt"
	"net/http"

	"github.com/regie-fr/regie/server/auth"
)

// loginCallback is where the provider sends the citizen back. The login
// cookie is taken (and cleared) before anything is checked, so a state is
// never accepted twice; on success the citizen gets a new session, any
// session the browser had before being dropped, and is told who linked
// their households since their last visit.
func (p *Portal) loginCallback(w http.ResponseWriter, r *http.Request) {
	pend := p.pending.Take(w, r)
	id, err := p.login.Finish(r.Context(), pend, r.URL.Query())
	if err != nil {
		p.loginFailed(w, r, err)
		return
	}
	now := p.cfg.Now()
	news, err := p.st.Visit(r.Context(), p.orgCode(r), id.Subject, now)
	if err != nil {
		p.log.Error("portal: visit", "err", err)
	}
	var notices []string
	for _, n := range news {
		notices = append(notices, fmt.Sprintf("Depuis votre dernière visite, %s a lié le foyer %s à son compte (le %s).",
			orUnknown(n.Name), n.Household, n.LinkedAt.In(location("")).Format("02/01/2006")))
	}
	if _, err := p.sessions.Rotate(w, r, func(x *auth.Session) { x.Identity, x.Notices = id, notices }); err != nil {
		p.internal(w, r, nil, "start session", err)
		return
	}
	p.log.Info("portal: login")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// orUnknown names someone whose name the provider did not give.
func orUnknown(name string) string {
	if name == "" {
		return "une personne"
	}
	return name
}
