package client

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/sync/protocol"
)

// describe tells whether the server was reached and what the status bar
// says about err, in French: what happened, and that nothing cashed here is
// lost.
func describe(err error) (online bool, message string) {
	var tooOld *protocol.TooOldError
	var pe *protocol.Error
	var ne net.Error
	var re *regie.Error
	var refusal *RefusedError
	switch {
	case errors.As(err, &refusal):
		return true, refusal.StatusMessage()
	case errors.Is(err, ErrNotEnrolled):
		return false, "Poste non enrôlé : saisissez le code d'enrôlement donné par l'administrateur."
	case errors.As(err, &tooOld):
		return true, tooOld.Message()
	case errors.As(err, &pe) && pe.Status >= 500:
		return false, fmt.Sprintf("Serveur indisponible (erreur %d) : les encaissements restent sur ce poste, nouvel essai automatique.", pe.Status)
	case errors.As(err, &pe) && pe.Body.Message != "" && pe.Body.Code != fmt.Sprint(pe.Status):
		return true, pe.Body.Message
	case errors.As(err, &pe):
		return true, fmt.Sprintf("Le serveur refuse la synchronisation (erreur %d) : prévenez l'administrateur.", pe.Status)
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return false, "Le serveur ne répond pas à temps : les encaissements restent sur ce poste, nouvel essai automatique."
	case errors.As(err, &re):
		return true, re.Message
	case errors.As(err, &ne):
		return false, "Serveur injoignable : les encaissements restent sur ce poste, nouvel essai automatique."
	}
	return false, "Synchronisation interrompue : les encaissements restent sur ce poste, nouvel essai automatique."
}
