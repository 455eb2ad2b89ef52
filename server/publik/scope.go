package publik

import (
	"net/http"
)

// subject is the portal link subject of a Publik user: the NameID its
// identity provider gives, under the caller's orig, so that neither two
// Publik instances nor a FranceConnect identity can ever share links.
func subject(orig, nameID string) string { return "publik:" + orig + ":" + nameID }

// scope is the households a call may see: those linked to the Publik user
// (NameID), or the one whose account is payer_external_id. all is set when
// the call names neither and the endpoint allows it (one invoice or
// payment by its id, as lingo does for a payment started anonymously): the
// signed caller is then trusted with any household of the régie.
type scope struct {
	households []string
	all        bool
}

// ids is nil for "any household", else the households' ids.
func (s *scope) ids() []string {
	if s.all {
		return nil
	}
	if s.households == nil {
		return []string{}
	}
	return s.households
}

// has tells whether the household is in the scope.
func (s *scope) has(id string) bool {
	if s.all {
		return true
	}
	for _, h := range s.households {
		if h == id {
			return true
		}
	}
	return false
}

// scopeOf resolves the call's households; it answers the refusal itself
// and returns nil then. required: the call must name a user or a payer.
func (a *API) scopeOf(w http.ResponseWriter, r *http.Request, c *call, required bool) *scope {
	v := c.q.Values
	nameID, payer := v.Get("NameID"), v.Get("payer_external_id")
	switch {
	case nameID != "" && payer != "":
		fail(w, http.StatusBadRequest, "Indiquez NameID ou payer_external_id, pas les deux.")
		return nil
	case nameID != "":
		hs, err := a.st.Portal().LinkedHouseholds(r.Context(), c.org, subject(c.q.Orig, nameID))
		if err != nil {
			a.internal(w, "linked households", err)
			return nil
		}
		if len(hs) == 0 {
			fail(w, http.StatusNotFound, "Aucun foyer n'est rattaché à cet usager.")
			return nil
		}
		s := &scope{}
		for _, h := range hs {
			s.households = append(s.households, h.ID)
		}
		return s
	case payer != "":
		h, err := a.st.Publik().HouseholdByAccount(r.Context(), c.org, payer)
		if err != nil {
			a.internal(w, "household", err)
			return nil
		} else if h == nil {
			fail(w, http.StatusNotFound, "Foyer inconnu : aucun compte ne porte ce numéro.")
			return nil
		}
		return &scope{households: []string{h.ID}}
	case required:
		fail(w, http.StatusBadRequest, "Indiquez l'usager (NameID) ou le foyer (payer_external_id).")
		return nil
	}
	return &scope{all: true}
}
