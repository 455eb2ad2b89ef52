package portal

import "net/http"

// accessibility is the accessibility statement (déclaration
// d'accessibilité) the RGAA requires on every public site.
func (p *Portal) accessibility(w http.ResponseWriter, r *http.Request) {
	p.render(w, http.StatusOK, "accessibility", p.newView(p.visitor(r), "Déclaration d'accessibilité", "accessibilite", nil))
}
