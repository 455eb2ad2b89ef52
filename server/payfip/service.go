package payfip

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// Config sets up the online payment service.
type Config struct {
	Store  *store.Store
	Client *Client
	// PublicURL is the portal's public address: PayFiP notifies
	// PublicURL/payfip/notification and sends the citizen back to
	// PublicURL/payfip/retour.
	PublicURL string
	// Saisie is PayFiP's mode: "T" test, "X" activation, "W" production
	// (the default).
	Saisie string
	// PendingFor is how long an order may wait for its notification
	// before Settle asks PayFiP itself, and how long a new order of the
	// same invoice waits behind it (20 minutes: PayFiP keeps its payment
	// page open 15).
	PendingFor time.Duration
	// ExpireAfter is how long an order PayFiP still calls pending (P5)
	// stays so before it is recorded as expired (1 hour).
	ExpireAfter time.Duration
	Logger      *slog.Logger
	Now         func() time.Time
}

// Service starts PayFiP payments for the portal and records their
// outcomes; it implements portal.OnlinePayments. It keeps nothing in
// memory: orders and their states are in the store.
type Service struct {
	cfg Config
	st  *store.Store
	c   *Client
	log *slog.Logger
}

var _ portal.OnlinePayments = (*Service)(nil)

// NewService makes the service.
func NewService(cfg Config) *Service {
	if cfg.Saisie == "" {
		cfg.Saisie = "W"
	}
	if cfg.PendingFor <= 0 {
		cfg.PendingFor = 20 * time.Minute
	}
	if cfg.ExpireAfter <= 0 {
		cfg.ExpireAfter = time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	return &Service{cfg: cfg, st: cfg.Store, c: cfg.Client, log: cfg.Logger}
}

// PageOrigin is the payment page's origin.
func (s *Service) PageOrigin() string { return s.c.PageOrigin() }

var reNumcli = regexp.MustCompile(`^[0-9]{6}$`)

// offers tells whether r takes payments through PayFiP: a client number
// and the online mode in its act.
func offers(r *regie.Regie) bool {
	return r != nil && reNumcli.MatchString(r.PayFiPClient) && r.Allows(regie.Online)
}

// Offers tells whether the régie takes online payments.
func (s *Service) Offers(ctx context.Context, regieCode string) bool {
	var ok bool
	err := s.st.View(ctx, func(tx *store.Tx) error {
		r, err := tx.Regie(regieCode)
		ok = offers(r)
		return err
	})
	return err == nil && ok
}

// outcome says an order's state to the portal.
func outcome(o *store.PayFiPOrder) *portal.OnlineOutcome {
	out := &portal.OnlineOutcome{HouseholdID: o.HouseholdID, InvoiceID: o.InvoiceID, InvoiceNumber: o.InvoiceNumber,
		Amount: o.Amount, DirectDebit: Result(o.Result) == PaidDebit}
	switch o.State {
	case store.PayFiPPaid:
		out.State, out.PaymentID, out.Receipt = portal.OnlinePaid, o.PaymentID, o.Note
	case store.PayFiPRefused:
		out.State = portal.OnlineRefused
	case store.PayFiPCancelled:
		out.State = portal.OnlineCancelled
	case store.PayFiPExpired:
		out.State = portal.OnlineExpired
	case store.PayFiPAnomaly:
		out.State = portal.OnlineAnomaly
	default:
		out.State = portal.OnlinePending
	}
	return out
}
