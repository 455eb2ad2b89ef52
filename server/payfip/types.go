// Package payfip takes online payments of invoices through PayFiP, the
// DGFiP's payment service for the régies of local public bodies, with its
// SOAP web service PaiementSecuriseService (docs/payfip.md): the client,
// the orders the portal starts (kept in the database, so that any server
// instance can settle them), and the checks that record each paid order
// once on the régie's online counter through server/ledger, whatever the
// order and number of notifications and returns. Package payfipsim is a
// simulator of the service for the demo and the tests.
package payfip

import (
	"errors"
	"fmt"
	"time"

	"github.com/regie-fr/regie"
)

// Result is resultrans, the outcome of a PayFiP transaction.
type Result string

// The outcomes PayFiP reports (docs/payfip.md §4).
const (
	PaidCard      Result = "P" // paid by card
	PaidDebit     Result = "V" // paid by a one-off direct debit (prélèvement)
	RefusedCard   Result = "R" // card payment refused
	RefusedDebit  Result = "Z" // direct debit refused
	CancelledCard Result = "A" // abandoned by the payer
)

// Paid tells whether the money was taken.
func (r Result) Paid() bool { return r == PaidCard || r == PaidDebit }

// Refused tells whether the payment was refused.
func (r Result) Refused() bool { return r == RefusedCard || r == RefusedDebit }

// Cancelled tells whether the payer gave up.
func (r Result) Cancelled() bool { return r == CancelledCard }

// Detail is recupererDetailPaiementSecurise's answer, typed.
type Detail struct {
	IdOp   string
	Numcli string
	Exer   string
	Refdet string
	Objet  string
	Mel    string
	Amount regie.Money // montant, in cents
	Result Result
	// Authorisation is numauto, the payment's authorisation number.
	Authorisation string
	Saisie        string
	// Date (DDMMYYYY) and Time (HHMM) are dattrans and heurtrans as sent;
	// At is them read in Paris time (zero when malformed).
	Date, Time string
	At         time.Time
}

// Fault is an error the web service answered (a SOAP fault with one of its
// typed details).
type Fault struct {
	FaultCode, FaultString string
	// Kind is the detail's element: FonctionnelleErreur for a refusal of
	// the request, Tech…Erreur for the service's own trouble.
	Kind        string
	Code        string // "P1", "P5", "R3"…
	Label       string // libelle
	Description string // descriptif
	Severity    string
}

func (f *Fault) Error() string {
	return fmt.Sprintf("payfip: fault %s %s: %s %s (%s)", f.Kind, f.Code, f.Label, f.Description, f.FaultString)
}

// Is makes errors.Is(err, ErrPending) and errors.Is(err,
// ErrUnknownOperation) true for the faults P5 and P1.
func (f *Fault) Is(target error) bool {
	switch target {
	case ErrPending:
		return f.Code == "P5"
	case ErrUnknownOperation:
		return f.Code == "P1"
	}
	return false
}

// The two faults of recupererDetailPaiementSecurise that are states, not
// failures.
var (
	// ErrPending (P5): the transaction's result is not known yet — the
	// payer is on the payment page, or left it without an answer.
	ErrPending = errors.New("payfip: result not known yet (P5)")
	// ErrUnknownOperation (P1): PayFiP does not know the idOp — never
	// reached its payment page and purged (the night after), or forged.
	ErrUnknownOperation = errors.New("payfip: unknown idOp (P1)")
)

// ErrUnavailable wraps what kept the client from getting an answer: the
// network, a timeout, an HTTP status, an answer that is not the service's.
var ErrUnavailable = errors.New("payfip: service unavailable")

// French says err to a citizen or an agent.
func French(err error) string {
	var f *Fault
	switch {
	case err == nil:
		return ""
	case errors.As(err, &f) && f.Kind == "FonctionnelleErreur":
		return "Le service de paiement en ligne de la DGFiP a refusé la demande (" + f.Code + ") : contactez la régie."
	case errors.Is(err, ErrUnavailable), errors.As(err, &f):
		return "Le service de paiement en ligne de la DGFiP ne répond pas. Réessayez dans quelques minutes."
	}
	var re *regie.Error
	if errors.As(err, &re) {
		return re.Message
	}
	return "Le paiement en ligne n'a pas pu être traité. Réessayez dans quelques minutes."
}
