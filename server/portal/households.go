package portal

import "net/http"

// linkForm is what the linking form shows again after a refusal (never
// the access code).
type linkForm struct {
	InvoiceNumber string
	BirthDate     string
}

// households shows the households linked to the identity, each with a
// button to look at it or unlink it, and the form to link another.
func (p *Portal) households(w http.ResponseWriter, r *http.Request, v *visit) {
	view := p.newView(v, "Mes foyers", "foyers", linkForm{})
	switch r.URL.Query().Get("ok") {
	case "lie":
		view.Notice = "Le foyer est lié à votre compte."
	case "delie":
		view.Notice = "Le foyer n'est plus lié à votre compte."
	}
	p.render(w, http.StatusOK, "households", view)
}
