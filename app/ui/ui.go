// Package ui is the counter's desktop window (Fyne). It talks only to the
// counter's use cases (app.Counter, through Service), so the whole day can
// be driven in headless tests.
package ui

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

// Service is what the screens need from the counter; *app.Counter is it.
type Service interface {
	Agents(ctx context.Context) ([]regie.Agent, error)
	Settings(ctx context.Context) (*regie.Regie, *regie.Counter, error)
	Login(ctx context.Context, login, pin string) (*app.Auth, error)
	Approve(ctx context.Context, login, pin string) (*app.Auth, error)
	Till(ctx context.Context) (app.TillState, error)
	OpenSession(ctx context.Context, auth *app.Auth, count regie.CashCount, total regie.Money) (*regie.TillSession, error)
	Search(ctx context.Context, q string) ([]regie.Household, error)
	OpenInvoices(ctx context.Context, householdID string) ([]regie.Invoice, error)
	Catalogue(ctx context.Context) ([]regie.CatalogueItem, error)
	RecordPayment(ctx context.Context, auth *app.Auth, req app.PaymentRequest) (*regie.Payment, error)
	Reprint(ctx context.Context, auth *app.Auth, paymentID string) (*regie.Payment, *regie.Cancellation, error)
	Cancel(ctx context.Context, auth, approver *app.Auth, paymentID, reason, comment string) (*regie.Cancellation, error)
	Payment(ctx context.Context, id string) (*regie.Payment, *regie.Cancellation, error)
	DayLines(ctx context.Context, day string) ([]app.JournalLine, error)
	DayFigures(ctx context.Context, day string) (*regie.DayFigures, error)
	PrepareClosing(ctx context.Context, req app.ClosingRequest) (*regie.Closing, error)
	Close(ctx context.Context, auth *app.Auth, req app.ClosingRequest) (*regie.Closing, error)
	Deposit(ctx context.Context, auth *app.Auth, req app.DepositRequest) (*regie.Deposit, error)
	Holdings(ctx context.Context) (*app.Holdings, error)
	Today() string
}

var _ Service = (*app.Counter)(nil)

// Printer prints the counter's documents, or saves them as PDF; it says in
// French where the document went. Without one the screens say that no
// printer is set.
type Printer interface {
	Receipt(ctx context.Context, p *regie.Payment, duplicate bool) (string, error)
	ZReport(ctx context.Context, c *regie.Closing) (string, error)
	// DepositSlip prints the bordereau de versement, and the bordereau de
	// remise de chèques when cheques are handed over.
	DepositSlip(ctx context.Context, d *regie.Deposit) (string, error)
}

// CardTerminal takes a card payment on the terminal: the amount appears on
// it, the customer types the PIN; Refund gives a same-day card payment
// back when it is cancelled. An error means nothing happened on the card,
// and its message is French.
type CardTerminal interface {
	Pay(ctx context.Context, amount regie.Money) (CardResult, error)
	Refund(ctx context.Context, amount regie.Money) (CardResult, error)
	State() string
}

// CardResult is what an accepted card payment gives the tender.
type CardResult struct {
	Authorisation string
	MaskedPAN     string
	Status        string
}

// SyncState is the sync loop's state as the status bar shows it.
type SyncState struct {
	Configured  bool
	Online      bool
	Pending     int
	LastSuccess time.Time
	LastError   string
}

// Syncer is the background sync with the server; the sync issue plugs it in.
type Syncer interface {
	State() SyncState
	SyncNow()
}

// Options are the parts the window works with, all optional.
type Options struct {
	Printer    Printer
	Terminal   CardTerminal
	Sync       Syncer
	Config     *Config
	ConfigPath string
	// Ports lists the serial ports a terminal is likely on, for the
	// settings screen.
	Ports func() []string
	// Enrol binds a new counter to its régie's server; without it a new
	// counter can only be set up by other means (the demo).
	Enrol Enroller
	// LinkSlip asks the server for a linking slip and prints it; without
	// it the cashier offers no slip.
	LinkSlip LinkSlipper
}

// UI is the counter's window and the state of the agent's session.
type UI struct {
	win    fyne.Window
	svc    Service
	opt    Options
	ctx    context.Context
	cancel context.CancelFunc
	auth   *app.Auth
	reg    *regie.Regie
	desk   *regie.Counter
	keys   map[fyne.KeyName]func()
	// bg counts the background jobs (terminal, refunds) still running.
	bg sync.WaitGroup

	enrol   *enrolScreen
	login   *loginScreen
	open    *openScreen
	main    *mainScreen
	status  *statusBar
	content *fyne.Container
}

// New builds the window's screens on svc; Start shows the login.
func New(win fyne.Window, svc Service, opt Options) *UI {
	if opt.Config == nil {
		opt.Config = &Config{}
	}
	u := &UI{win: win, svc: svc, opt: opt, keys: map[fyne.KeyName]func(){}}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	u.status = newStatusBar(u)
	u.content = container.NewStack()
	win.SetContent(container.NewBorder(nil, u.status.box, nil, nil, u.content))
	win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) { u.handleKey(ev) })
	return u
}

// Start shows the login screen, or the enrolment of a counter that is not
// bound to a régie yet.
func (u *UI) Start() {
	var err error
	u.reg, u.desk, err = u.svc.Settings(u.ctx)
	if regie.ErrorCodeOf(err) == regie.ENotConfigured && u.opt.Enrol != nil {
		u.enrol = newEnrolScreen(u)
		u.show(u.enrol.box, nil, u.enrol.server)
		return
	}
	u.showLogin()
}

// show replaces the screen and its keys, and focuses what the agent types
// in next.
func (u *UI) show(screen fyne.CanvasObject, keys map[fyne.KeyName]func(), focus fyne.Focusable) {
	u.content.Objects = []fyne.CanvasObject{screen}
	u.content.Refresh()
	u.keys = keys
	if focus != nil {
		u.win.Canvas().Focus(focus)
	}
	u.status.refresh()
}

// Wait waits for the background jobs (a card payment on the terminal, a
// refund) to end.
func (u *UI) Wait() { u.bg.Wait() }

// Close stops the background jobs and waits for them, when the window
// closes.
func (u *UI) Close() {
	u.cancel()
	u.bg.Wait()
}

// RefreshStatus reads the status bar's state again; call it on the UI
// goroutine (fyne.Do from elsewhere), e.g. when the terminal's state moves.
func (u *UI) RefreshStatus() { u.status.refresh() }

// handleKey runs the current screen's action for a function key or Escape,
// whatever widget has the focus.
func (u *UI) handleKey(ev *fyne.KeyEvent) bool {
	if f := u.keys[ev.Name]; f != nil {
		f()
		return true
	}
	return false
}

func (u *UI) showLogin() {
	u.auth = nil
	if u.login == nil {
		u.login = newLoginScreen(u)
	}
	u.login.reset()
	u.show(u.login.box, map[fyne.KeyName]func(){fyne.KeyEscape: u.login.reset}, u.login.id)
}

// afterLogin goes where the agent's day stands: the open till, or the
// opening (or yesterday's closing) first.
func (u *UI) afterLogin(a *app.Auth) {
	u.auth = a
	u.reg, u.desk, _ = u.svc.Settings(u.ctx)
	st, err := u.svc.Till(u.ctx)
	if err != nil {
		u.login.err.SetText(regie.ErrorMessage(err))
		return
	}
	if st.Open && st.Session.Day == st.Today {
		u.showMain()
		return
	}
	u.showOpen(st)
}

func (u *UI) showOpen(st app.TillState) {
	u.open = newOpenScreen(u, st)
	u.show(u.open.box, map[fyne.KeyName]func(){fyne.KeyEscape: u.showLogin}, u.open.focus())
}

func (u *UI) showMain() {
	u.main = newMainScreen(u)
	u.main.selectTab(tabCashier)
}

// agentName is an agent's name from its id, for the journal.
func (u *UI) agentName(id string, agents []regie.Agent) string {
	for _, a := range agents {
		if a.ID == id {
			return a.Name
		}
	}
	return id
}
