package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/sync/protocol"
)

// LinkSlip asks the server for a one-time linking slip for a household
// (POST protocol.PathLinkSlips with the counter's credential), once the
// agent has checked an identity document. req.ID is a UUID the counter
// made: the request is sent again when its answer is lost, and the server
// answers the same slip for the same id, so a retry never makes a second
// code. The slip needs the server — it is the server that will recognise
// the code on the portal — so offline it returns a *regie.Error saying so
// in French, and nothing is printed.
func (c *Client) LinkSlip(ctx context.Context, req protocol.LinkSlipRequest) (*protocol.LinkSlip, error) {
	if req.ID == "" || req.HouseholdID == "" || req.Agent == "" || req.Document == "" {
		return nil, regie.Errorf(regie.EInvalid, "Bon de rattachement : foyer, agent ou pièce d'identité manquant.")
	}
	p, err := c.local.SyncPoint(ctx)
	if err != nil {
		return nil, err
	}
	if !p.Enrolled() {
		return nil, regie.Errorf(regie.ENotConfigured,
			"Le bon de rattachement a besoin du serveur, et ce poste n'y est pas encore rattaché (Paramètres > Synchronisation).")
	}
	var slip protocol.LinkSlip
	if err := c.call(ctx, p, http.MethodPost, protocol.PathLinkSlips, req, &slip); err != nil {
		return nil, linkSlipError(err)
	}
	if slip.Code == "" || slip.HouseholdID != req.HouseholdID || slip.ExpiresAt.IsZero() {
		return nil, regie.Errorf(regie.EInternal,
			"Réponse incomplète du serveur pour le bon de rattachement : aucun bon n'est imprimé, réessayez.")
	}
	return &slip, nil
}

// routeMissing tells a server that does not know the endpoint (a 404 from
// its router: the sync API's "address unknown", or no JSON at all) from a
// 404 about the household, which carries its own code and message.
func routeMissing(pe *protocol.Error) bool {
	if pe.Status != http.StatusNotFound {
		return false
	}
	return pe.Body.Code == "404" || pe.Body.Code == "not_found" && strings.HasPrefix(pe.Body.Message, "Adresse inconnue")
}

// linkSlipError says in French why no slip came: the server's own refusal
// when it gave one, else that the slip needs the server.
func linkSlipError(err error) error {
	var pe *protocol.Error
	var tooOld *protocol.TooOldError
	var ne net.Error
	switch {
	case errors.As(err, &tooOld):
		return &regie.Error{Code: regie.ENotConfigured, Message: tooOld.Message()}
	case errors.As(err, &pe) && routeMissing(pe):
		return regie.Errorf(regie.ENotConfigured,
			"Le serveur ne délivre pas encore de bons de rattachement : il doit être mis à jour. Prévenez l'administrateur.")
	case errors.As(err, &pe) && pe.Status >= 400 && pe.Status < 500 && pe.Body.Message != "" && pe.Body.Code != "":
		return &regie.Error{Code: regie.EForbidden, Message: pe.Body.Message}
	case errors.As(err, &pe) && pe.Status >= 400 && pe.Status < 500:
		return regie.Errorf(regie.EForbidden, "Le serveur refuse le bon de rattachement (erreur %d) : prévenez l'administrateur.", pe.Status)
	case errors.As(err, &pe), errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded):
		return regie.Errorf(regie.EInternal,
			"Le bon de rattachement a besoin du serveur, qui ne répond pas pour l'instant : réessayez quand la synchronisation est rétablie. Les encaissements, eux, continuent hors ligne.")
	}
	return regie.Errorf(regie.EInternal,
		"Le bon de rattachement a besoin du serveur, injoignable pour l'instant : réessayez plus tard. Les encaissements, eux, continuent hors ligne.")
}
