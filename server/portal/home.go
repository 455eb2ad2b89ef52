package portal

import "net/http"

// home sends a citizen to their payments, or to linking when they have no
// household yet, and a visitor to the login page.
func (p *Portal) home(w http.ResponseWriter, r *http.Request) {
	if !p.sessions.Get(r).LoggedIn() {
		http.Redirect(w, r, "/connexion", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/paiements", http.StatusSeeOther)
}

// loginPage explains the portal and shows the FranceConnect button.
func (p *Portal) loginPage(w http.ResponseWriter, r *http.Request) {
	v := p.visitor(r)
	if v.sess.LoggedIn() {
		http.Redirect(w, r, "/paiements", http.StatusSeeOther)
		return
	}
	p.render(w, http.StatusOK, "login", p.newView(v, "Connexion", "connexion", nil))
}
