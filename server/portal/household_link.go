package portal

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/auth"
)

// householdLink links the identity to a household: the access code printed
// on invoices and receipts, with an invoice number or the holder's birth
// date as a second factor. Failed attempts are counted per identity and
// per network, and past the limits the form is refused before the store
// is asked, so codes cannot be guessed.
func (p *Portal) householdLink(w http.ResponseWriter, r *http.Request, v *visit) {
	form := linkForm{InvoiceNumber: strings.TrimSpace(r.PostFormValue("facture")),
		BirthDate: strings.TrimSpace(r.PostFormValue("naissance"))}
	again := func(status int, msg string) {
		view := p.newView(v, "Mes foyers", "foyers", form)
		view.Error = msg
		p.render(w, status, "households", view)
	}
	code := normalizeCode(r.PostFormValue("code"))
	birth, ok := parseBirthDate(form.BirthDate)
	switch {
	case code == "":
		again(http.StatusBadRequest, "Saisissez le code d'accès imprimé sur vos factures et vos reçus.")
		return
	case form.InvoiceNumber == "" && form.BirthDate == "":
		again(http.StatusBadRequest, "Saisissez aussi le numéro d'une facture du foyer ou la date de naissance du titulaire du compte.")
		return
	case !ok:
		again(http.StatusBadRequest, "Date de naissance invalide : saisissez-la sous la forme JJ/MM/AAAA.")
		return
	}
	now := p.cfg.Now()
	client := p.clientKey(r)
	bySubject, byClient, err := p.st.LinkFailures(r.Context(), v.sess.Identity.Subject, client, now.Add(-p.cfg.LinkWindow))
	if err != nil {
		p.internal(w, r, v, "link failures", err)
		return
	}
	if bySubject >= p.cfg.LinkLimitIdentity || byClient >= p.cfg.LinkLimitClient {
		p.log.Warn("portal: link rate limited")
		w.Header().Set("Retry-After", "3600")
		again(http.StatusTooManyRequests, "Trop d'essais infructueux : réessayez dans une heure, ou adressez-vous à l'accueil de la mairie.")
		return
	}
	h, err := p.st.Link(r.Context(), LinkRequest{Subject: v.sess.Identity.Subject, Client: client, AccessCode: code,
		InvoiceNumber: strings.ToUpper(form.InvoiceNumber), BirthDate: birth, At: now})
	var re *regie.Error
	if errors.As(err, &re) && re.Code == regie.EBadCredentials {
		p.log.Info("portal: link refused")
		again(http.StatusUnprocessableEntity, "Ces informations ne correspondent à aucun foyer. Vérifiez le code d'accès et le numéro de facture ou la date de naissance.")
		return
	} else if err != nil {
		p.internal(w, r, v, "link", err)
		return
	}
	p.sessions.Update(v.sess.ID, func(x *auth.Session) { x.Household = h.ID })
	http.Redirect(w, r, "/foyers?ok=lie", http.StatusSeeOther)
}

// normalizeCode lets the citizen type the access code in lower case or
// with spaces.
func normalizeCode(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// parseBirthDate reads JJ/MM/AAAA (what people type) or AAAA-MM-JJ (what a
// date field sends) into YYYY-MM-DD; "" is fine (not given).
func parseBirthDate(s string) (string, bool) {
	if s == "" {
		return "", true
	}
	for _, layout := range []string{"02/01/2006", "2/1/2006", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}
