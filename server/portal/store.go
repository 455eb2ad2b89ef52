package portal

import (
	"context"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/printing"
)

// Store is what the portal's pages read and write. The methods that do not
// take a household's id take the organisation's code (org), which the
// portal found from the request's host: they answer, link and unlink only
// within it, so the households a citizen sees on a city's portal are that
// city's, and every other method is reached through one of them. Every method that
// returns a household's data takes the household's id and answers only
// within it: a payment, receipt or invoice id of another household is "not
// found" (regie.ENotFound or one of the *NotFound codes), exactly as an id
// that does not exist, so a citizen cannot even learn that it exists.
// The portal checks that the household is linked to the logged-in
// identity before it calls any of them.
type Store interface {
	// LinkedHouseholds lists the households an identity (the provider's
	// subject) is linked to, by name.
	LinkedHouseholds(ctx context.Context, org, subject string) ([]Household, error)
	// Link links an identity to a household, in one write transaction
	// that first counts the identity's failed attempts in the window (and
	// the client's, when LimitClient is set): past a limit it returns
	// regie.ELockedOut and tries nothing. It links with the access code
	// when the identity (family name and birth date) matches an adult
	// member of the household on req.Day, or with a counter's linking slip
	// (unused, unexpired; used by this link). A mismatch is recorded as a
	// failure and returns regie.EBadCredentials, whichever part was wrong.
	// Linking again a household already linked is not an error.
	Link(ctx context.Context, req LinkRequest) (*Household, error)
	// HouseholdLinks lists who is linked to a household now, first linked
	// first.
	HouseholdLinks(ctx context.Context, householdID string) ([]LinkedPerson, error)
	// Visit records that an identity visits its households at a time and
	// returns the links others made to them since its previous visit (or
	// since its own link, on its first).
	Visit(ctx context.Context, org, subject string, at time.Time) ([]LinkedPerson, error)
	// Unlink ends an identity's link to a household; regie.ENotFound when
	// there is none.
	Unlink(ctx context.Context, org, subject, householdID string, at time.Time) error
	// PaymentsVersion is a token that changes whenever what PaymentYears or
	// Payments answer for the household may change (a payment recorded or
	// cancelled, a régie or counter saved): the portal keeps the rendered
	// page until it does.
	PaymentsVersion(ctx context.Context, householdID string) (string, error)
	// PaymentYears lists the years the household paid in, latest first.
	PaymentYears(ctx context.Context, householdID string) ([]int, error)
	// Payments lists the household's payments of a year (by the régie's
	// day), latest first, with their tenders, what they settled and their
	// cancellation.
	Payments(ctx context.Context, householdID string, year int) ([]Payment, error)
	// Receipt gives what the receipt of one of the household's payments
	// prints, as the counter would (VerifyURL left empty for the portal to
	// fill); regie.EPaymentNotFound when it is not the household's.
	Receipt(ctx context.Context, householdID, paymentID string) (*printing.ReceiptData, error)
	// Invoices lists the household's invoices, latest issued first.
	Invoices(ctx context.Context, householdID string) ([]Invoice, error)
	// Invoice reads one of the household's invoices with the payments that
	// settled it; regie.EInvoiceNotFound when it is not the household's.
	Invoice(ctx context.Context, householdID, invoiceID string) (*Invoice, error)
	// VerifyReceipt finds a receipt by number whose journal hash starts
	// with hashPrefix (16 hex digits); nil when there is none.
	VerifyReceipt(ctx context.Context, org, number, hashPrefix string) (*ReceiptCheck, error)
	AttestationStore
	OrganisationStore
}

// Household is a household as the portal shows it.
type Household struct {
	ID       string
	Account  string
	Name     string
	LinkedAt time.Time
}

// LinkRequest is a linking attempt: who (the identity as the provider
// vouches for it), from where, with what (AccessCode or SlipCode), and the
// limits that apply.
type LinkRequest struct {
	// Org is the organisation whose households may be linked.
	Org     string
	Subject string
	// FamilyName, BirthDate (YYYY-MM-DD) and Name are the identity's, from
	// the provider: the first two are matched, Name is shown to the others
	// linked to the household.
	FamilyName string
	BirthDate  string
	Name       string
	// AccessCode is the code printed on the household's invoices; SlipCode
	// a counter's one-time linking slip. One of them is set.
	AccessCode string
	SlipCode   string
	// Client is a hash of the network address the request came from.
	Client string
	At     time.Time
	// Day is the date adults are 18 on (YYYY-MM-DD).
	Day string
	// Since starts the window failures are counted in; LimitIdentity and
	// LimitClient bound them (LimitClient 0: no limit by address).
	Since         time.Time
	LimitIdentity int
	LimitClient   int
}

// LinkedPerson is someone linked to a household, as the others see them.
type LinkedPerson struct {
	Subject     string
	HouseholdID string
	Household   string // the household's name
	Name        string // as the provider gave it
	LinkedAt    time.Time
}

// Payment is one of a household's payments, as Mes paiements lists it.
type Payment struct {
	ID        string
	Receipt   string
	At        time.Time
	Day       string
	Regie     string
	RegieName string
	Timezone  string
	Counter   string
	// CounterName is the counter's name ("Accueil mairie"); empty for a
	// payment made online.
	CounterName string
	Online      bool
	Total       regie.Money
	Tenders     []regie.Tender
	Settled     []Settled
	Cancelled   *Cancelled
}

// Settled is what a payment paid: an invoice or a catalogue item.
type Settled struct {
	InvoiceID     string
	InvoiceNumber string
	ItemCode      string
	Label         string
	Amount        regie.Money
}

// Cancelled says when and why a payment was cancelled.
type Cancelled struct {
	At     time.Time
	Reason string
}

// Invoice is one of a household's invoices with what the server knows was
// paid on it.
type Invoice struct {
	regie.Invoice
	Regie     string
	RegieName string
	Paid      regie.Money
	// Payments are the payments that settled part of the invoice (only
	// filled by Store.Invoice).
	Payments []InvoicePayment
}

// InvoicePayment is a payment's share of one invoice.
type InvoicePayment struct {
	PaymentID string
	Receipt   string
	At        time.Time
	Timezone  string
	Amount    regie.Money
	Cancelled bool
}

// ReceiptCheck is all the public verification page says of a receipt.
type ReceiptCheck struct {
	Receipt   string
	At        time.Time
	Timezone  string
	Total     regie.Money
	RegieName string
	Cancelled bool
}
