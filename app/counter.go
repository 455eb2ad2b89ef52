// Package app holds the counter's use cases: everything an agent or a
// régisseur does at a cash desk, checked against the régie's rules and
// recorded in the journal. The Fyne screens call only this package.
package app

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/regie-fr/regie"
)

// Tx is one transaction on the counter's store. The SQLite store in
// app/store implements it; the interface lets this package stay free of SQL.
type Tx interface {
	Append(e *regie.Entry, obj any) error
	LastEntry() (*regie.Entry, error)
	Entry(id string) (*regie.Entry, error)
	Entries(from, to int64) ([]regie.Entry, error)
	// SettingsEntries are the settings entries before seq before (≤ 0: all).
	SettingsEntries(before int64) ([]regie.Entry, error)
	DaySpan(day string) (from, to int64, err error)

	Payment(id string) (*regie.Payment, error)
	PaymentByReceipt(receipt string) (*regie.Payment, error)
	CancellationOf(paymentID string) (*regie.Cancellation, error)
	LastSession() (*regie.TillSession, bool, error)
	SessionOfDay(day string) (*regie.TillSession, error)
	DayClosed(day string) (bool, error)
	LastClosing() (*regie.Closing, error)
	Closings(from, to string) ([]regie.Closing, error)
	LastDeposit() (*regie.Deposit, error)
	LastReceiptNumber(year int) (int, error)
	RecentLogins(agentID string, n int) ([]regie.Login, error)
	DayFigures(day string) (*regie.DayFigures, error)
	ChecksHeld() ([]regie.CheckLine, error)
	DepositedChecks(paymentID string) (int, error)
	CountPayments() (int, error)
	// JournalHistory answers the journal rules from what is stored.
	JournalHistory() regie.JournalHistory

	Identity() (*regie.Counter, error)
	SaveIdentity(c *regie.Counter) error
	Settings() (*regie.Regie, error)
	SaveSettings(r *regie.Regie) error
	SaveAgent(a *regie.Agent) error
	AgentByLogin(login string) (*regie.Agent, error)
	Agent(id string) (*regie.Agent, error)
	Agents() ([]regie.Agent, error)
	SaveHousehold(h *regie.Household) error
	Household(id string) (*regie.Household, error)
	HouseholdRef(id string) (*regie.Household, error)
	SearchHouseholds(q string, limit int) ([]regie.Household, error)
	SaveInvoice(inv *regie.Invoice, asOfSeq int64) error
	Invoice(id string) (*regie.Invoice, error)
	OpenInvoices(householdID string) ([]regie.Invoice, error)
	SaveItem(it *regie.CatalogueItem) error
	Item(code string) (*regie.CatalogueItem, error)
	Catalogue() ([]regie.CatalogueItem, error)

	SyncState() (acked int64, cursor string, err error)
	SetAcked(seq int64) error
	SetCursor(cursor string) error
	Enrolment() (server, credential string, err error)
	SaveEnrolment(server, credential string) error
	SaveReference(hs []regie.Household, invs []regie.Invoice, items []regie.CatalogueItem, asOfSeq int64) error
}

// Store runs transactions: Update commits durably or not at all, View only
// reads.
type Store interface {
	Update(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
}

// TxStore is a store whose transactions are a concrete type T; Adapt turns
// it into a Store without this package importing it.
type TxStore[T Tx] interface {
	Update(ctx context.Context, fn func(T) error) error
	View(ctx context.Context, fn func(T) error) error
}

// Adapt wraps a concrete store (such as *store.Store) as a Store.
func Adapt[T Tx](s TxStore[T]) Store { return adapter[T]{s} }

type adapter[T Tx] struct{ s TxStore[T] }

func (a adapter[T]) Update(ctx context.Context, fn func(Tx) error) error {
	return a.s.Update(ctx, func(t T) error { return fn(t) })
}

func (a adapter[T]) View(ctx context.Context, fn func(Tx) error) error {
	return a.s.View(ctx, func(t T) error { return fn(t) })
}

// Counter is the cash desk's service. It is safe to call from several
// goroutines: the store serialises writes.
type Counter struct {
	store Store
	now   func() time.Time
	loc   *time.Location
	newID func() string
	// LockAfter failed PINs in a row lock an agent out for LockFor.
	lockAfter int
	lockFor   time.Duration
	// conf caches the régie settings and the counter's identity, read on
	// every payment; Configure clears it.
	conf atomic.Pointer[config]
	// recorded is told of each commit that appended to the journal
	// (OnRecorded).
	recorded atomic.Pointer[func()]
	// check verifies the file at start (WithFileCheck); file keeps its
	// outcome.
	check FileCheck
	file  fileState
}

type config struct {
	settings *regie.Regie
	ident    *regie.Counter
}

// config returns the cached settings and identity, reading them within tx
// the first time.
func (c *Counter) config(tx Tx) (*regie.Regie, *regie.Counter, error) {
	if cf := c.conf.Load(); cf != nil {
		return cf.settings, cf.ident, nil
	}
	settings, err := tx.Settings()
	if err != nil {
		return nil, nil, err
	}
	ident, err := tx.Identity()
	if err != nil {
		return nil, nil, err
	}
	c.conf.Store(&config{settings, ident})
	return settings, ident, nil
}

// Option changes a Counter's defaults, for tests and for main.
type Option func(*Counter)

// WithClock sets the clock, so tests can move the day forward.
func WithClock(now func() time.Time) Option { return func(c *Counter) { c.now = now } }

// WithLocation sets the régie's time zone, which decides where a day ends.
func WithLocation(loc *time.Location) Option { return func(c *Counter) { c.loc = loc } }

// WithIDs sets the UUID generator.
func WithIDs(f func() string) Option { return func(c *Counter) { c.newID = f } }

// WithLockout sets how many failed PINs lock an agent out and for how long.
func WithLockout(after int, d time.Duration) Option {
	return func(c *Counter) { c.lockAfter, c.lockFor = after, d }
}

// New builds the counter's service on a store.
func New(s Store, opts ...Option) *Counter {
	c := &Counter{store: s, now: time.Now, loc: time.Local, newID: newUUID, lockAfter: 5, lockFor: 15 * time.Minute}
	for _, o := range opts {
		o(c)
	}
	c.store = watchedStore{Store: s, recorded: &c.recorded}
	return c
}

// newUUID makes time-ordered UUIDs (v7): born at the counter, unique
// everywhere, and kind to the indexes they land in.
func newUUID() string { return uuid.Must(uuid.NewV7()).String() }

// instant is the current time at the journal's precision.
func (c *Counter) instant() time.Time { return regie.JournalTime(c.now()) }

// day is the régie's calendar day of t.
func (c *Counter) day(t time.Time) string { return regie.DayOf(t, c.loc) }

// record chains obj into the journal within tx and writes its projection.
func (c *Counter) record(tx Tx, kind regie.EntryKind, id, agent string, at time.Time, obj any) (*regie.Entry, error) {
	if err := c.fileRefused(); err != nil {
		return nil, err
	}
	settings, ident, err := c.config(tx)
	if err != nil {
		return nil, err
	}
	prev, err := tx.LastEntry()
	if err != nil {
		return nil, err
	}
	e, err := regie.NewEntry(prev, ident.Code, kind, id, agent, at, obj)
	if err != nil {
		return nil, err
	}
	// What is written is what the rules read back from the entry's data.
	if _, err := c.journalRules(tx, settings, ident).Check(e, time.Time{}); err != nil {
		return nil, err
	}
	return e, tx.Append(e, obj)
}

// frenchDate shows a YYYY-MM-DD day as agents write it.
func frenchDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}
