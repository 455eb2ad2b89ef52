package api

import (
	"errors"
	"net/http"

	"github.com/google/uuid"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// linkSlip makes a one-time linking slip for a household, which the
// counter prints after its agent checked the citizen's identity document:
// the citizen types its code on the portal to link the household when the
// FranceConnect identity does not match an adult of it. Households are the
// city's, so any enrolled counter may ask for any of them; the agent must
// be an active agent of the counter's régie. The request's id makes a
// retry answer the same slip; the server keeps only the code's hash.
func (s *Server) linkSlip(w http.ResponseWriter, r *http.Request, c *store.Counter) {
	var req protocol.LinkSlipRequest
	if !decode(w, r, 4<<10, &req) {
		return
	}
	if _, err := uuid.Parse(req.ID); err != nil || req.HouseholdID == "" || req.Agent == "" {
		writeError(w, http.StatusBadRequest, protocol.ErrorBody{Code: protocol.CodeMalformed,
			Message: "Demande de bon de rattachement incomplète : identifiant (UUID), foyer et agent sont obligatoires."})
		return
	}
	var slip *store.LinkSlip
	err := s.st.Update(r.Context(), func(t *store.Tx) error {
		agents, err := t.Agents(c.Regie)
		if err != nil {
			return err
		}
		active := false
		for _, a := range agents {
			active = active || a.ID == req.Agent && a.Active
		}
		if !active {
			return regie.Errorf(regie.EAgentNotFound, "Agent inconnu ou désactivé dans la régie %s.", c.Regie)
		}
		org, err := t.RegieOrg(c.Regie)
		if err != nil {
			return err
		}
		slip, err = t.CreateLinkSlip(store.SlipRequest{ID: req.ID, HouseholdID: req.HouseholdID, Org: org, CounterID: c.ID,
			Agent: req.Agent, Document: req.Document, At: s.opt.Now()})
		return err
	})
	var re *regie.Error
	switch {
	case errors.As(err, &re):
		status := http.StatusUnprocessableEntity
		switch regie.ClassOf(re.Code) {
		case regie.ClassNotFound:
			status = http.StatusNotFound
		case regie.ClassConflict:
			status = http.StatusConflict
		}
		writeError(w, status, protocol.ErrorBody{Code: string(re.Code), Message: re.Message})
		return
	case err != nil:
		s.log.Error("link slip", "err", err)
		internalError(w)
		return
	}
	s.log.Info("link slip issued", "regie", c.Regie, "counter", c.Code, "slip", slip.ID)
	writeJSON(w, http.StatusOK, protocol.LinkSlip{ID: slip.ID, HouseholdID: slip.HouseholdID, Account: slip.Account,
		HouseholdName: slip.HouseholdName, Code: slip.Code, ExpiresAt: slip.ExpiresAt})
}
