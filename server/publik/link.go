package publik

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// householdJSON is a household a Publik user is linked to: its account
// number is the payer_external_id the other endpoints take.
type householdJSON struct {
	ID              string `json:"id"`
	Text            string `json:"text"`
	PayerExternalID string `json:"payer_external_id"`
	LinkedAt        string `json:"linked_at"`
}

// toHousehold is a linked household as Publik sees it.
func toHousehold(h *portal.Household) householdJSON {
	return householdJSON{ID: h.Account, Text: h.Name, PayerExternalID: h.Account,
		LinkedAt: h.LinkedAt.UTC().Format("2006-01-02T15:04:05Z")}
}

// nameID is the Publik user the call is about; it answers the refusal
// itself when there is none.
func nameID(w http.ResponseWriter, c *call) string {
	n := c.q.Values.Get("NameID")
	if n == "" || len(n) > 256 {
		fail(w, http.StatusBadRequest, "Indiquez l'usager Publik (NameID, 256 caractères au plus).")
		return ""
	}
	return n
}

// households lists the households the Publik user is linked to.
func (a *API) households(w http.ResponseWriter, r *http.Request, c *call) {
	n := nameID(w, c)
	if n == "" {
		return
	}
	hs, err := a.st.Portal().LinkedHouseholds(r.Context(), c.org, subject(c.q.Orig, n))
	if err != nil {
		a.internal(w, "linked households", err)
		return
	}
	out := make([]householdJSON, 0, len(hs))
	for i := range hs {
		out = append(out, toHousehold(&hs[i]))
	}
	ok(w, out)
}

// link links the Publik user to a household with the portal's rules and
// its very code (store.PortalStore.Link, one transaction): the access code
// printed on the household's invoices with the family name and birth date
// Publik vouches for, which must be an adult member's; or a counter's
// one-time linking slip. Failures are counted per user and past the limit
// every attempt is refused for an hour. The body is a JSON object (or a
// form): access_code, family_name, birth_date (YYYY-MM-DD), first_name;
// or slip_code.
func (a *API) link(w http.ResponseWriter, r *http.Request, c *call) {
	n := nameID(w, c)
	if n == "" {
		return
	}
	body, good := readBody(w, r)
	if !good {
		return
	}
	code := strings.ToUpper(strings.Join(strings.Fields(body["access_code"]), ""))
	slip := strings.TrimSpace(body["slip_code"])
	family, birth := strings.TrimSpace(body["family_name"]), strings.TrimSpace(body["birth_date"])
	switch {
	case code == "" && slip == "":
		fail(w, http.StatusBadRequest, "Indiquez le code d'accès imprimé sur les factures du foyer (access_code) ou le code de rattachement remis au guichet (slip_code).")
		return
	case code != "" && slip != "":
		fail(w, http.StatusBadRequest, "Indiquez le code d'accès ou le code de rattachement, pas les deux.")
		return
	case code != "" && (family == "" || birth == ""):
		fail(w, http.StatusBadRequest, "Avec le code d'accès, indiquez le nom de famille (family_name) et la date de naissance (birth_date, AAAA-MM-JJ) de l'usager.")
		return
	}
	now := a.cfg.Now()
	day := regie.DayOf(now, store.RegieLocation(c.regie))
	req := portal.LinkRequest{Org: c.org, Subject: subject(c.q.Orig, n), FamilyName: family, BirthDate: birth,
		Name: strings.TrimSpace(strings.TrimSpace(body["first_name"]) + " " + family), AccessCode: code, SlipCode: slip,
		Client: "publik:" + c.q.Orig, At: now, Day: day, Since: now.Add(-a.cfg.LinkWindow), LimitIdentity: a.cfg.LinkLimit}
	if req.Name == "" {
		req.Name = "Usager Publik"
	}
	h, err := a.st.Portal().Link(r.Context(), req)
	var re *regie.Error
	switch {
	case errors.As(err, &re) && re.Code == regie.ELockedOut:
		a.log.Warn("publik: link rate limited", "orig", c.q.Orig)
		w.Header().Set("Retry-After", strconv.Itoa(int(a.cfg.LinkWindow.Seconds())))
		fail(w, http.StatusTooManyRequests, "Trop d'essais infructueux : réessayez dans une heure, ou adressez-vous à l'accueil de la mairie.")
		return
	case errors.As(err, &re) && re.Code == regie.EBadCredentials:
		a.log.Info("publik: link refused", "orig", c.q.Orig)
		fail(w, http.StatusNotFound, "Ces informations ne correspondent à aucun foyer dont l'usager est un adulte inscrit, ou le code de rattachement est inconnu, a déjà servi ou a expiré.")
		return
	case err != nil:
		a.internal(w, "link", err)
		return
	}
	ok(w, toHousehold(h))
}

// unlink ends the Publik user's links: to the household payer_external_id
// names, or to all of them.
func (a *API) unlink(w http.ResponseWriter, r *http.Request, c *call) {
	n := nameID(w, c)
	if n == "" {
		return
	}
	sub := subject(c.q.Orig, n)
	hs, err := a.st.Portal().LinkedHouseholds(r.Context(), c.org, sub)
	if err != nil {
		a.internal(w, "linked households", err)
		return
	}
	account := c.q.Values.Get("payer_external_id")
	var ended []householdJSON
	for i := range hs {
		h := &hs[i]
		if account != "" && h.Account != account {
			continue
		}
		if err := a.st.Portal().Unlink(r.Context(), c.org, sub, h.ID, a.cfg.Now()); err != nil && regie.ErrorCodeOf(err) != regie.EHouseholdNotFound {
			a.internal(w, "unlink", err)
			return
		}
		ended = append(ended, toHousehold(h))
	}
	if len(ended) == 0 {
		fail(w, http.StatusNotFound, "Cet usager n'est rattaché à aucun foyer de ce numéro.")
		return
	}
	ok(w, ended)
}
