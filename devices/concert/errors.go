package concert

import (
	"errors"
	"fmt"

	"github.com/regie-fr/regie"
)

// The codes of the errors the driver returns. They are regie.ErrorCode
// values, so regie.ErrorCodeOf and regie.ErrorMessage work on the driver's
// errors as on any domain error.
const (
	// ERefused: the terminal answered status 7, the card or the bank said no.
	ERefused regie.ErrorCode = "terminal_refused"
	// ENotProcessed: the terminal answered another status than 0 or 7
	// (9: abandoned on the terminal, timed out there…).
	ENotProcessed regie.ErrorCode = "terminal_not_processed"
	// ENoAnswer: the terminal did not answer ENQ, or stopped answering in the
	// middle of an exchange.
	ENoAnswer regie.ErrorCode = "terminal_no_answer"
	// ETimeout: the request was delivered but no result came back within
	// Config.CustomerTimeout.
	ETimeout regie.ErrorCode = "terminal_timeout"
	// ELink: the port failed: unplugged, closed, write error.
	ELink regie.ErrorCode = "terminal_link"
	// ECancelled: the agent aborted the wait (the context was cancelled).
	ECancelled regie.ErrorCode = "terminal_cancelled"
	// EUnreadable: the terminal's answer could not be read (bad LRC after the
	// resends, wrong length) or does not match the request's amount.
	EUnreadable regie.ErrorCode = "terminal_unreadable"
	// EBusy: another payment is already running on this terminal.
	EBusy regie.ErrorCode = "terminal_busy"
	// EAmount: the amount cannot be sent (zero, negative, over 8 digits).
	EAmount regie.ErrorCode = "terminal_amount"
	// EConfig: the driver's settings cannot make a request (till number
	// outside 1–99).
	EConfig regie.ErrorCode = "terminal_config"
)

// checkTicket is added to every message where the terminal may have
// debited the card although the till got no clear answer.
const checkTicket = " Vérifiez l'écran et le ticket du terminal avant de recommencer."

// messages are the French sentences shown to the agent, one per code.
var messages = map[regie.ErrorCode]string{
	ERefused:      "Paiement refusé par le terminal. Rien n'a été encaissé : proposez un autre moyen de paiement.",
	ENotProcessed: "Le terminal n'a pas effectué le paiement (abandon ou délai dépassé sur le terminal). Rien n'a été encaissé.",
	ENoAnswer: "Le terminal ne répond pas. Vérifiez qu'il est allumé, branché et en mode caisse " +
		"(Connexion caisse), puis réessayez ou saisissez l'autorisation à la main.",
	ETimeout:    "Pas de réponse du terminal dans le délai : le paiement n'est pas enregistré." + checkTicket,
	ELink:       "Liaison avec le terminal impossible (câble débranché ou port fermé). Vérifiez le branchement du terminal.",
	ECancelled:  "Paiement abandonné par l'agent : rien n'est enregistré. Annulez aussi la transaction sur le terminal." + checkTicket,
	EUnreadable: "Réponse du terminal illisible : le paiement n'est pas enregistré." + checkTicket,
	EBusy:       "Un paiement est déjà en cours sur ce terminal. Attendez sa fin ou abandonnez-le.",
	EAmount:     "Montant impossible à envoyer au terminal : il doit être compris entre 0,01 € et 999 999,99 €.",
	EConfig:     "Réglage du terminal invalide : le numéro de caisse doit être compris entre 1 et 99.",
}

// msgRefundNotDone replaces the message of ERefused and ENotProcessed for a
// refund, where nothing was cashed but nothing was paid back either.
const msgRefundNotDone = "Remboursement refusé par le terminal : rien n'a été recrédité sur la carte. " +
	"Remboursez par un autre moyen ou réessayez."

// Message is the French sentence for one of the package's codes.
func Message(code regie.ErrorCode) string { return messages[code] }

// Error is what Pay and Refund return when no payment can be recorded.
// Error() is English, for logs; Message is French, for the agent. It
// unwraps to its cause (context.Canceled, an I/O error…) and, through
// errors.As, converts to a *regie.Error with the same code and message.
type Error struct {
	Code    regie.ErrorCode
	Message string // French, ready to show
	Detail  string // English, for logs
	Err     error  // the cause, if any
}

func (e *Error) Error() string {
	s := "concert: " + string(e.Code)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// As lets errors.As(err, &regieErr) find a *regie.Error, so the UI shows
// driver errors with regie.ErrorMessage like any other.
func (e *Error) As(target any) bool {
	if t, ok := target.(**regie.Error); ok {
		*t = &regie.Error{Code: e.Code, Message: e.Message}
		return true
	}
	return false
}

// newError builds an *Error with the code's French message.
func newError(code regie.ErrorCode, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: messages[code], Detail: fmt.Sprintf(format, args...), Err: err}
}

// CodeOf is the code of the first *Error in err's chain, or "".
func CodeOf(err error) regie.ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
