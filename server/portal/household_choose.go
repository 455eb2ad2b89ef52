package portal

import (
	"net/http"

	"github.com/regie-fr/regie/server/auth"
)

// householdChoose makes one of the identity's households the one the pages
// show, for a citizen linked to several.
func (p *Portal) householdChoose(w http.ResponseWriter, r *http.Request, v *visit) {
	id := r.PostFormValue("foyer")
	if !linked(v, id) {
		p.notFound(w, r)
		return
	}
	if err := p.updateSession(r, v, func(x *auth.Session) { x.Household = id }); err != nil {
		p.internal(w, r, v, "choose household", err)
		return
	}
	http.Redirect(w, r, "/paiements", http.StatusSeeOther)
}
