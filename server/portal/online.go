package portal

import (
	"context"

	"github.com/regie-fr/regie"
)

// OnlinePayments is the online payment service the portal offers on open
// invoices (server/payfip's Service is one); nil when none is configured.
// Every state lives in the database, so any server instance answers any
// notification or return.
type OnlinePayments interface {
	// Offers tells whether the régie takes online payments.
	Offers(ctx context.Context, regieCode string) bool
	// Start asks the payment service for a payment of what remains on one
	// of the household's invoices and returns the page to send the citizen
	// to. An invoice of another household is regie.EInvoiceNotFound;
	// other refusals are *regie.Error with a French message.
	Start(ctx context.Context, req OnlineRequest) (string, error)
	// Check asks the payment service how the payment idOp went, records
	// its outcome once (a paid one on the régie's online counter) and
	// returns it. An unknown idOp is regie.ENotFound and changes nothing.
	// When the service cannot be reached the outcome known so far comes
	// with the error.
	Check(ctx context.Context, idOp string) (*OnlineOutcome, error)
	// PageOrigin is the payment page's origin, where the portal's forms
	// may lead (Content-Security-Policy form-action).
	PageOrigin() string
}

// OnlineRequest is a citizen's "Payer en ligne".
type OnlineRequest struct {
	HouseholdID string
	InvoiceID   string
	// Email is where the payment service sends its ticket: the one the
	// identity provider gave.
	Email string
	// PublicURL is the portal's address for the household's organisation,
	// where the payment service sends the citizen back; empty: the
	// service's own setting.
	PublicURL string
}

// The states of an online payment, as OnlineOutcome.State says them.
const (
	OnlinePending   = "pending"
	OnlinePaid      = "paid"
	OnlineRefused   = "refused"
	OnlineCancelled = "cancelled"
	OnlineExpired   = "expired"
	OnlineAnomaly   = "anomaly"
)

// OnlineOutcome is what became of an online payment.
type OnlineOutcome struct {
	State         string
	HouseholdID   string
	InvoiceID     string
	InvoiceNumber string
	Amount        regie.Money
	// DirectDebit tells a payment by prélèvement from one by card.
	DirectDebit bool
	// PaymentID and Receipt name the payment recorded, once paid.
	PaymentID string
	Receipt   string
}

// onlineOrigin is the payment page's origin, or nothing.
func (p *Portal) onlineOrigin() string {
	if p.cfg.Online == nil {
		return ""
	}
	return p.cfg.Online.PageOrigin()
}
