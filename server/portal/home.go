package portal

import "net/http"

// home sends a citizen to their payments (or to linking when they have no
// household yet); a visitor gets the public home page: what the portal
// does, the FranceConnect button or, when no provider is configured, that
// the login is not open yet, and the receipt check.
func (p *Portal) home(w http.ResponseWriter, r *http.Request) {
	v := p.visitor(r)
	if v.sess.LoggedIn() {
		http.Redirect(w, r, "/paiements", http.StatusSeeOther)
		return
	}
	p.render(w, http.StatusOK, "login", p.newView(v, "Connexion", "connexion", nil))
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
