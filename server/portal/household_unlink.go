package portal

import (
	"net/http"

	"github.com/regie-fr/regie/server/auth"
)

// householdUnlink ends the identity's link to a household (one of its
// own: any other id is not found).
func (p *Portal) householdUnlink(w http.ResponseWriter, r *http.Request, v *visit) {
	id := r.PostFormValue("foyer")
	if !linked(v, id) {
		p.notFound(w, r)
		return
	}
	if err := p.st.Unlink(r.Context(), p.orgCode(r), v.sess.Identity.Subject, id, p.cfg.Now()); err != nil {
		p.storeFailure(w, r, v, "unlink", err)
		return
	}
	if err := p.updateSession(r, v, func(x *auth.Session) {
		if x.Household == id {
			x.Household = ""
		}
	}); err != nil {
		// The session's choice is checked against the links on every page.
		p.log.Error("portal: forget unlinked household", "err", err)
	}
	http.Redirect(w, r, "/foyers?ok=delie", http.StatusSeeOther)
}

// linked tells whether id is one of the visit's households.
func linked(v *visit, id string) bool {
	for _, h := range v.households {
		if h.ID == id && id != "" {
			return true
		}
	}
	return false
}
