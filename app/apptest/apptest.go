// Package apptest sets up counters for tests: a real SQLite file in the
// test's temporary folder, seeded with the demo régie, and a clock the test
// moves. It is imported by tests only.
package apptest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/app/store"
)

// Clock is a settable clock: each reading is Step after the last, so that
// every journal entry has its own instant, and the day moves only when the
// test says so.
type Clock struct {
	mu   sync.Mutex
	t    time.Time
	Step time.Duration
}

// NewClock starts a clock at t, moving one second per reading.
func NewClock(t time.Time) *Clock { return &Clock{t: t, Step: time.Second} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.Step)
	return c.t
}

// Peek is the clock's time, without moving it.
func (c *Clock) Peek() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Paris is the demo régie's time zone.
var Paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// Counter opens a counter file in tb's temporary folder (or at path when
// given), seeded with the demo régie with cheap PIN hashes; the store is
// closed at the end of the test.
func Counter(tb testing.TB, path string, opts ...app.Option) (*app.Counter, *store.Store) {
	tb.Helper()
	if path == "" {
		path = filepath.Join(tb.TempDir(), "caisse.db")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	c := app.New(app.Adapt(st), append([]app.Option{app.WithFileCheck(st.VerifyAtStart)}, opts...)...)
	if err := demo.Seed(ctx, c, demo.Options{PINCost: bcrypt.MinCost}); err != nil {
		tb.Fatal(err)
	}
	return c, st
}

// Login logs an agent in, failing the test otherwise.
func Login(tb testing.TB, c *app.Counter, login, pin string) *app.Auth {
	tb.Helper()
	a, err := c.Login(context.Background(), login, pin)
	if err != nil {
		tb.Fatalf("login %s: %v", login, err)
	}
	return a
}

// Open opens today's till with a float, failing the test otherwise.
func Open(tb testing.TB, c *app.Counter, a *app.Auth, float regie.Money) {
	tb.Helper()
	if _, err := c.OpenSession(context.Background(), a, nil, float); err != nil {
		tb.Fatalf("open the till: %v", err)
	}
}
