package portal

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/auth"
)

// householdLink links the identity to a household, with either the access
// code printed on the household's invoices — the family name and birth
// date the provider vouches for must then be an adult's of the household —
// or the one-time slip an agent printed at a counter after checking an
// identity document. The store counts failures, tries and records a
// failure in one transaction, so no burst of requests tries more than the
// limit.
func (p *Portal) householdLink(w http.ResponseWriter, r *http.Request, v *visit) {
	again := func(status int, msg string) {
		p.renderHouseholds(w, r, v, status, "", msg)
	}
	code := normalizeCode(r.PostFormValue("code"))
	slip := strings.TrimSpace(r.PostFormValue("liaison"))
	if code == "" && slip == "" {
		again(http.StatusBadRequest, "Saisissez le code d'accès imprimé sur les factures du foyer, ou le code de rattachement remis à l'accueil de la mairie.")
		return
	}
	if slip != "" {
		code = ""
	}
	id := v.sess.Identity
	now := p.cfg.Now()
	req := LinkRequest{Org: p.orgCode(r), Subject: id.Subject, FamilyName: id.FamilyName, BirthDate: id.BirthDate,
		Name: strings.TrimSpace(id.GivenName + " " + id.FamilyName), AccessCode: code, SlipCode: slip,
		Client: p.clientKey(r), At: now, Day: now.In(location("")).Format("2006-01-02"),
		Since: now.Add(-p.cfg.LinkWindow), LimitIdentity: p.cfg.LinkLimitIdentity}
	if len(p.cfg.TrustedProxies) > 0 {
		req.LimitClient = p.cfg.LinkLimitClient
	}
	h, err := p.st.Link(r.Context(), req)
	var re *regie.Error
	switch {
	case errors.As(err, &re) && re.Code == regie.ELockedOut:
		p.log.Warn("portal: link rate limited")
		w.Header().Set("Retry-After", strconv.Itoa(int(p.cfg.LinkWindow.Seconds())))
		again(http.StatusTooManyRequests, "Trop d'essais infructueux : réessayez dans une heure, ou adressez-vous à l'accueil de la mairie.")
		return
	case errors.As(err, &re) && re.Code == regie.EBadCredentials && slip != "":
		p.log.Info("portal: link refused", "by", "slip")
		again(http.StatusUnprocessableEntity, "Ce code de rattachement est inconnu, a déjà servi ou a expiré (il vaut 30 jours). Vérifiez-le, ou demandez-en un nouveau à l'accueil de la mairie.")
		return
	case errors.As(err, &re) && re.Code == regie.EBadCredentials:
		p.log.Info("portal: link refused", "by", "access code")
		again(http.StatusUnprocessableEntity, "Ce code d'accès ne correspond à aucun foyer dont vous êtes un adulte inscrit, avec le nom et la date de naissance transmis par "+
			p.login.ProviderName()+". Vérifiez le code. Si votre nom a changé ou si vous n'êtes pas inscrit au foyer, l'accueil de la mairie vous remettra un code de rattachement sur présentation d'une pièce d'identité.")
		return
	case err != nil:
		p.internal(w, r, v, "link", err)
		return
	}
	if err := p.updateSession(r, v, func(x *auth.Session) { x.Household = h.ID }); err != nil {
		// The link is made: the household is chosen on the next page.
		p.log.Error("portal: choose linked household", "err", err)
	}
	http.Redirect(w, r, "/foyers?ok=lie", http.StatusSeeOther)
}

// normalizeCode lets the citizen type the access code in lower case or
// with spaces.
func normalizeCode(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}
