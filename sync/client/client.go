// Package client is the counter's side of sync v1: in the background of
// regie-caisse it pushes the journal entries the server has not
// acknowledged, then pulls the reference data changed since its cursor,
// and starts again — at once when asked, after a pause when all is well,
// after an exponential back-off with jitter when something failed. It only
// reads and writes the counter's store through app's use cases, so the
// cashier is never held up by the network; where it stands is kept in the
// counter file, so it resumes after a restart.
package client

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

// Local is what the client needs of the counter; *app.Counter has it.
type Local interface {
	SyncPoint(ctx context.Context) (app.SyncPoint, error)
	JournalSince(ctx context.Context, afterSeq int64, limit int) ([]regie.Entry, error)
	Acknowledge(ctx context.Context, seq int64) error
	SaveEnrolment(ctx context.Context, server, credential string) error
	ApplyPull(ctx context.Context, p app.Pull) error
}

var _ Local = (*app.Counter)(nil)

// Options tune the client; the zero value gives the defaults.
type Options struct {
	BatchSize int           // entries per push (default 1 000, about 1 MB)
	PullLimit int           // rows per pull page (default 5 000; the server may cap it)
	Timeout   time.Duration // per request (default 30 s)
	Interval  time.Duration // between rounds when all is well (default 30 s)
	// PushDelay is how long after a new entry is recorded (Nudge) the
	// entries are pushed (default 2 s): long enough that a burst of
	// payments leaves in one push, short enough that the server and the
	// portal see a payment within seconds.
	PushDelay  time.Duration
	MinBackoff time.Duration // first wait after a failure (default 2 s)
	MaxBackoff time.Duration // longest wait after failures (default 5 min)
	// Transport replaces the HTTP transport (tests put a faulty proxy or a
	// TLS configuration there).
	Transport http.RoundTripper
	Logger    *slog.Logger
	Now       func() time.Time
}

// State is the sync as the status bar shows it. LastError is French.
type State struct {
	Configured  bool
	Online      bool
	Syncing     bool
	Pending     int
	LastSuccess time.Time
	LastError   string
}

// Client syncs one counter with its server. Its methods are safe to call
// from any goroutine; State and SyncNow never block.
type Client struct {
	local Local
	opt   Options
	http  *resty.Client
	log   *slog.Logger
	kick  chan struct{}
	nudge chan struct{}

	mu    sync.Mutex
	state State
	round sync.Mutex // one round at a time
}

// New builds a client for the counter local.
func New(local Local, opt Options) *Client {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 1000
	}
	if opt.PullLimit <= 0 {
		opt.PullLimit = 5000
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.Interval <= 0 {
		opt.Interval = 30 * time.Second
	}
	if opt.PushDelay <= 0 {
		opt.PushDelay = 2 * time.Second
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = 2 * time.Second
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = 5 * time.Minute
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	h := resty.New().
		SetTimeout(opt.Timeout).
		SetLogger(restyLogger{opt.Logger}).
		// A dropped connection or a busy server is retried at once, briefly;
		// longer outages are the loop's back-off. Only requests that are
		// idempotent are resent (see retryable): a lost answer may mean the
		// server did the work.
		SetRetryCount(2).
		SetRetryWaitTime(200 * time.Millisecond).
		SetRetryMaxWaitTime(2 * time.Second).
		AddRetryCondition(retryable)
	if opt.Transport != nil {
		h.SetTransport(opt.Transport)
	}
	return &Client{local: local, opt: opt, http: h, log: opt.Logger, kick: make(chan struct{}, 1),
		nudge: make(chan struct{}, 1)}
}

// State is the last known state; it reads no file and waits for nothing.
func (c *Client) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// SyncNow asks the background loop for a round now (the "Synchroniser"
// button); it returns at once.
func (c *Client) SyncNow() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Nudge says a new entry was recorded (app.Counter.OnRecorded): the loop
// pushes PushDelay later, one push for every nudge in between. It returns
// at once and never blocks the cashier.
func (c *Client) Nudge() {
	select {
	case c.nudge <- struct{}{}:
	default:
	}
}

// Run syncs in rounds until ctx is done: a round at start, then after
// Interval, or after a back-off that doubles with each failure (with
// jitter, so that counters coming back together do not all call at once),
// or as soon as SyncNow is called. A Nudge brings a push PushDelay later
// without moving the next full round; while the server is failing, nudges
// wait for the back-off, so that a busy counter does not hammer a server
// that is down.
func (c *Client) Run(ctx context.Context) {
	failures := 0
	refresh := time.NewTicker(2 * time.Second)
	defer refresh.Stop()
	full := true
	var next time.Time // when the next full round is due
	for {
		var err error
		if full {
			err = c.Sync(ctx)
		} else {
			err = c.Push(ctx)
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			failures++
			wait := c.retryWait(err, failures)
			next = time.Now().Add(wait)
			c.log.Warn("sync failed", "err", err, "retry_in", wait.Round(time.Millisecond))
		} else {
			failures = 0
			if full {
				next = time.Now().Add(c.opt.Interval)
			}
		}
		full = true
		timer := time.NewTimer(time.Until(next))
		var debounce <-chan time.Time
	idle:
		for {
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-c.kick:
				timer.Stop()
				break idle
			case <-timer.C:
				break idle
			case <-c.nudge:
				if failures == 0 && debounce == nil {
					debounce = time.After(c.opt.PushDelay)
				}
			case <-debounce:
				timer.Stop()
				full = false
				break idle
			case <-refresh.C:
				c.refreshPending(ctx)
			}
		}
	}
}

// backoff is the wait after n failures in a row: min·2ⁿ⁻¹ capped at max,
// then drawn at random in its upper half ("equal jitter").
func backoff(minWait, maxWait time.Duration, n int) time.Duration {
	d := minWait
	for i := 1; i < n && d < maxWait; i++ {
		d *= 2
	}
	d = min(d, maxWait)
	return d/2 + rand.N(d/2+1)
}

// refreshPending rereads how many entries wait, so the status bar follows
// the payments recorded between rounds.
func (c *Client) refreshPending(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	p, err := c.local.SyncPoint(ctx)
	if err != nil {
		return
	}
	c.mu.Lock()
	c.state.Pending, c.state.Configured = p.Pending(), p.Enrolled()
	c.mu.Unlock()
}

// restyLogger sends resty's own messages to slog.
type restyLogger struct{ l *slog.Logger }

func (r restyLogger) Errorf(format string, v ...any) {
	r.l.Debug("http", "msg", fmt.Sprintf(format, v...))
}
func (r restyLogger) Warnf(format string, v ...any) {
	r.l.Debug("http", "msg", fmt.Sprintf(format, v...))
}
func (r restyLogger) Debugf(format string, v ...any) {
	r.l.Debug("http", "msg", fmt.Sprintf(format, v...))
}
