package portal

import "net/http"

// householdsData is what Mes foyers shows besides the layout: who is
// linked to each of the citizen's households.
type householdsData struct {
	Linked map[string][]LinkedPerson
}

// households shows the households linked to the identity, each with who
// else is linked to it and buttons to look at it or unlink it, and the
// forms to link another.
func (p *Portal) households(w http.ResponseWriter, r *http.Request, v *visit) {
	notice := ""
	switch r.URL.Query().Get("ok") {
	case "lie":
		notice = "Le foyer est lié à votre compte."
	case "delie":
		notice = "Le foyer n'est plus lié à votre compte."
	}
	p.renderHouseholds(w, r, v, http.StatusOK, notice, "")
}

// renderHouseholds renders Mes foyers with a notice or an error.
func (p *Portal) renderHouseholds(w http.ResponseWriter, r *http.Request, v *visit, status int, notice, errMsg string) {
	d := householdsData{Linked: map[string][]LinkedPerson{}}
	for _, h := range v.households {
		people, err := p.st.HouseholdLinks(r.Context(), h.ID)
		if err != nil {
			p.internal(w, r, v, "household links", err)
			return
		}
		for _, x := range people {
			if x.Subject != v.sess.Identity.Subject {
				d.Linked[h.ID] = append(d.Linked[h.ID], x)
			}
		}
	}
	view := p.newView(v, "Mes foyers", "foyers", d)
	view.Notice, view.Error = notice, errMsg
	p.render(w, status, "households", view)
}
