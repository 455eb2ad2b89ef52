package concert

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/regie-fr/regie"
)

// Terminal is what the cashier needs of a card terminal. Both methods block
// until the terminal answers, the timeouts run out or ctx is cancelled (the
// agent's Cancel button). err is nil exactly when the payment can be
// recorded; otherwise it is an *Error whose Code tells why (ERefused,
// ENotProcessed, ENoAnswer, ETimeout, ELink, ECancelled, EUnreadable,
// EBusy, EAmount, EConfig) and whose Message is the French sentence to show.
type Terminal interface {
	// Pay debits amount from the customer's card.
	Pay(ctx context.Context, amount regie.Money) (Result, error)
	// Refund credits amount back to the card (transaction type 2), to cancel
	// a card payment of the same day.
	Refund(ctx context.Context, amount regie.Money) (Result, error)
}

var _ Terminal = (*Driver)(nil)

// Result is the terminal's answer, with nothing in it that may not be kept:
// the card number is masked. It is filled whenever the terminal answered,
// including a refusal.
type Result struct {
	Accepted      bool
	Status        string      // the terminal's raw status: "0" accepted, "7" refused, "9" not processed
	Amount        regie.Money // what the terminal reports
	Authorisation string      // the response's private data, trimmed; may be empty on some terminals
	MaskedPAN     string      // first 6 / last 4 digits at most; "" with a short answer
	Type          TxType      // Debit or Refund
}

// Driver drives one terminal over a port (a serial port, a pty, a
// net.Conn, a net.Pipe). It runs one transaction at a time.
type Driver struct {
	cfg   Config
	rw    io.ReadWriter
	link  *link
	mu    sync.Mutex // held during a transaction
	state atomic.Int32
}

// New starts a driver on rw; it reads rw from a goroutine of its own until
// Close, or until rw fails.
func New(rw io.ReadWriter, cfg Config) *Driver {
	cfg = cfg.withDefaults()
	tr := newTracer(cfg.Trace, "caisse", "TPE")
	return &Driver{cfg: cfg, rw: rw, link: newLink(rw, tr, cfg.Logf, cfg.AnswerTimeout)}
}

// Pay implements Terminal.
func (d *Driver) Pay(ctx context.Context, amount regie.Money) (Result, error) {
	return d.transact(ctx, Debit, amount)
}

// Refund implements Terminal.
func (d *Driver) Refund(ctx context.Context, amount regie.Money) (Result, error) {
	return d.transact(ctx, Refund, amount)
}

// State is the terminal's current state, for a status bar that polls.
func (d *Driver) State() State { return State(d.state.Load()) }

// Close stops the driver and closes rw when it is an io.Closer.
func (d *Driver) Close() error {
	d.link.close()
	if c, ok := d.rw.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

func (d *Driver) setState(s State) {
	if State(d.state.Swap(int32(s))) != s && d.cfg.OnState != nil {
		d.cfg.OnState(s)
	}
}

func (d *Driver) logf(format string, args ...any) {
	if d.cfg.Logf != nil {
		d.cfg.Logf(format, args...)
	}
}

// transact runs the two sessions of one transaction: the request, then the
// customer's wait and the terminal's response.
func (d *Driver) transact(ctx context.Context, typ TxType, amount regie.Money) (Result, error) {
	if !d.mu.TryLock() {
		return Result{}, newError(EBusy, nil, "a transaction is already running")
	}
	defer d.mu.Unlock()
	defer d.setState(StateIdle)
	if amount < 1 || amount > MaxAmount {
		return Result{}, newError(EAmount, nil, "amount of %d cents", int64(amount))
	}
	req := Request{Version: d.cfg.Version, Till: d.cfg.Till, Amount: amount, FullAnswer: !d.cfg.ShortAnswer,
		Mode: ModeCard, Type: typ, Currency: CurrencyEUR}
	if d.cfg.ForceAuthorisation {
		req.Auth = AuthForced
	}
	msg, err := req.Encode()
	if err != nil { // the amount is checked above: the configuration is wrong
		return Result{}, newError(EConfig, err, "request")
	}
	frame, _ := Frame(msg) // an encoded request is always a valid message
	d.logf("transaction type %c for %d cents", byte(typ), int64(amount))
	d.link.drain()
	t := d.cfg.timing()
	d.setState(StateCalling)
	if err := d.link.call(ctx, t); err != nil {
		return Result{}, d.failure(err, false)
	}
	d.setState(StateSending)
	if err := d.link.deliver(ctx, t, func(int) []byte { return frame }); err != nil {
		return Result{}, d.failure(err, false)
	}
	d.setState(StateWaitingCustomer)
	if _, err := d.link.waitFor(ctx, d.cfg.CustomerTimeout, ENQ); err != nil {
		return Result{}, d.failure(err, true)
	}
	d.setState(StateReceiving)
	answer, err := d.link.accept(ctx, t)
	if err != nil {
		return Result{}, d.failure(err, true)
	}
	return d.result(typ, amount, answer)
}

// result reads the response and says whether it allows recording.
func (d *Driver) result(typ TxType, amount regie.Money, msg []byte) (Result, error) {
	resp, err := DecodeResponse(msg)
	if err != nil {
		return Result{}, newError(EUnreadable, err, "decoding the response")
	}
	res := Result{Accepted: resp.Accepted(), Status: string(resp.Status), Amount: resp.Amount,
		Authorisation: strings.TrimSpace(resp.Private), MaskedPAN: resp.MaskedPAN(), Type: typ}
	d.logf("terminal answered status %q for %d cents", res.Status, int64(res.Amount))
	switch {
	case res.Accepted && resp.Amount != amount:
		return res, newError(EUnreadable, nil, "terminal accepted %d cents, %d were asked", int64(resp.Amount), int64(amount))
	case res.Accepted:
		return res, nil
	}
	code := ENotProcessed
	if resp.Status == StatusRefused {
		code = ERefused
	}
	e := newError(code, nil, "status %q", res.Status)
	if typ == Refund {
		e.Message = msgRefundNotDone
	}
	return res, e
}

// failure turns a session error into an *Error. delivered tells whether
// the terminal had the request, so the card may have been debited.
func (d *Driver) failure(err error, delivered bool) error {
	var le *linkError
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return newError(ECancelled, err, "abandoned by the agent")
	case errors.As(err, &le):
		return newError(ELink, err, "port failed")
	case errors.Is(err, errBadFrames):
		return newError(EUnreadable, err, "response")
	case delivered:
		return newError(ETimeout, err, "waiting for the terminal's result")
	}
	return newError(ENoAnswer, err, "sending the request")
}
