package portal

import (
	"net/http"

	"github.com/regie-fr/regie/server/auth"
)

// logout ends the portal's session and sends the citizen to the
// provider's end-session endpoint, as FranceConnect requires, with the ID
// token as hint and a fresh state that the return checks.
func (p *Portal) logout(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	s, err := p.sessions.Get(r)
	if err != nil {
		p.internal(w, r, nil, "read session", err)
		return
	}
	if !s.LoggedIn() {
		http.Redirect(w, r, "/connexion", http.StatusSeeOther)
		return
	}
	if !auth.CheckCSRF(r, s, p.siteOf(r).origin) {
		p.fail(w, r, &visit{sess: s}, http.StatusForbidden, "Formulaire refusé",
			"Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.")
		return
	}
	if err := p.sessions.Destroy(w, r); err != nil {
		p.internal(w, r, &visit{sess: s}, "end session", err)
		return
	}
	// The state of the logout is kept in the sealed login cookie.
	state := auth.NewPending(p.cfg.Now())
	u, err := p.login.LogoutURL(r.Context(), s.Identity.IDToken, state.State)
	if err != nil || u == "" {
		if err != nil {
			p.log.Warn("portal: provider logout unavailable", "err", err)
		}
		http.Redirect(w, r, "/deconnexion/fin", http.StatusSeeOther)
		return
	}
	if err := p.pending.Set(w, state); err != nil {
		p.log.Warn("portal: logout state", "err", err)
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// logoutDone is where the provider sends the citizen back after logging
// out.
func (p *Portal) logoutDone(w http.ResponseWriter, r *http.Request) {
	s := p.session(r)
	if s.LoggedIn() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if pend := p.pending.Take(w, r); pend != nil && pend.State != r.URL.Query().Get("state") {
		p.log.Warn("portal: logout return with another state")
	}
	if s != nil {
		if err := p.sessions.Destroy(w, r); err != nil {
			p.log.Error("portal: end session", "err", err)
		}
	}
	v := p.newView(&visit{site: p.siteOf(r)}, "Vous êtes déconnecté", "connexion", nil)
	v.Notice = "Vous êtes déconnecté du portail et de " + p.login.ProviderName() + "."
	p.render(w, http.StatusOK, "login", v)
}
