package client_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
	appstore "github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/client"
)

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// clock is a test clock that moves one second at each reading.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// server is the central server on httptest with its SQLite file, seeded
// with the demo régie, its agents, households and invoices.
type server struct {
	mu    sync.Mutex // guards st and http across a restart
	t     *testing.T
	st    *store.Store
	http  *httptest.Server
	path  string
	codes map[string]string // counter code → enrolment code
}

func newServer(t *testing.T, counters ...string) *server {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "serveur.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, st: st, path: path, codes: map[string]string{}}
	seed(t, st)
	for _, code := range counters {
		s.codes[code] = s.addCounter(code)
	}
	s.http = httptest.NewServer(api.New(st, api.Options{Logger: quiet}))
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.http.Close()
		s.st.Close()
	})
	return s
}

// url is the server's current address.
func (s *server) url() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.http.URL
}

// restart stops the server as abruptly as the process can be in a test —
// connections cut, requests in flight cancelled — closes its database and
// starts it again on the same file at a new address.
func (s *server) restart() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.http.CloseClientConnections()
	s.http.Close()
	if err := s.st.Close(); err != nil {
		s.t.Errorf("close store: %v", err)
	}
	st, err := store.Open(context.Background(), s.path)
	if err != nil {
		s.t.Fatalf("reopen store: %v", err)
	}
	s.st = st
	s.http = httptest.NewServer(api.New(st, api.Options{Logger: quiet}))
}

// addCounter creates a counter of the demo régie and gives its enrolment code.
func (s *server) addCounter(code string) string { return servertest.AddCounter(s.t, s.st, code) }

func seed(t testing.TB, st *store.Store) { servertest.Seed(t, st) }

// counter is a cash desk on its own SQLite file with its sync client.
type counter struct {
	t     *testing.T
	code  string
	path  string
	st    *appstore.Store
	c     *app.Counter
	sync  *client.Client
	clock *clock
}

// newCounter opens a counter file and enrols it on s through url (the
// server's own address, or a proxy's).
func newCounter(t *testing.T, s *server, code string, opt client.Options) *counter {
	return newCounterAt(t, s, s.http.URL, code, opt)
}

// newCounterAt is newCounter talking to the server through url.
func newCounterAt(t *testing.T, s *server, url, code string, opt client.Options) *counter {
	t.Helper()
	k := &counter{t: t, code: code, path: filepath.Join(t.TempDir(), code+".db"),
		clock: &clock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, paris)}}
	k.open(opt)
	if _, err := k.sync.Enrol(context.Background(), url, s.codes[code]); err != nil {
		t.Fatalf("enrol %s: %v", code, err)
	}
	return k
}

// open (re)opens the counter's file, as a restart of regie-caisse does.
func (k *counter) open(opt client.Options) {
	st, err := appstore.Open(context.Background(), k.path)
	if err != nil {
		k.t.Fatal(err)
	}
	k.t.Cleanup(func() { st.Close() })
	if opt.Logger == nil {
		opt.Logger = quiet
	}
	k.st = st
	k.c = app.New(app.Adapt(st), app.WithClock(k.clock.Now), app.WithLocation(paris))
	k.sync = client.New(k.c, opt)
}

func (k *counter) mustSync() {
	k.t.Helper()
	if err := k.sync.Sync(context.Background()); err != nil {
		k.t.Fatalf("sync %s: %v", k.code, err)
	}
}

// cash logs the régisseur in, opens the till if needed and cashes amount
// in cash on an invoice of household h.
func (k *counter) cash(h, invoice string, amount regie.Money) *regie.Payment {
	k.t.Helper()
	ctx := context.Background()
	a, err := k.c.Login(ctx, demo.RegisseurLogin, demo.RegisseurPIN)
	if err != nil {
		k.t.Fatalf("login: %v", err)
	}
	if st, err := k.c.Till(ctx); err != nil {
		k.t.Fatal(err)
	} else if !st.Open {
		if _, err := k.c.OpenSession(ctx, a, nil, 150_00); err != nil {
			k.t.Fatalf("open session: %v", err)
		}
	}
	p, err := k.c.RecordPayment(ctx, a, app.PaymentRequest{HouseholdID: h,
		Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: amount}},
		Allocations: []regie.Allocation{{InvoiceID: invoice, Amount: amount}}})
	if err != nil {
		k.t.Fatalf("%s: record payment: %v", k.code, err)
	}
	return p
}

func (k *counter) invoice(id string) *regie.Invoice {
	k.t.Helper()
	var inv *regie.Invoice
	err := k.st.View(context.Background(), func(tx *appstore.Tx) (err error) {
		inv, err = tx.Invoice(id)
		return err
	})
	if err != nil || inv == nil {
		k.t.Fatalf("%s: invoice %s: %v", k.code, id, err)
	}
	return inv
}

func (s *server) invoice(id string) *store.InvoiceState {
	s.t.Helper()
	var inv *store.InvoiceState
	err := s.st.View(context.Background(), func(tx *store.Tx) (err error) {
		inv, err = tx.Invoice(id)
		return err
	})
	if err != nil || inv == nil {
		s.t.Fatalf("server invoice %s: %v", id, err)
	}
	return inv
}

// verifyAll checks every chain the server holds.
func (s *server) verifyAll() {
	s.t.Helper()
	reports, err := s.st.Verify(context.Background())
	if err != nil {
		s.t.Fatal(err)
	}
	for _, r := range reports {
		if r.Broken != nil {
			s.t.Errorf("chain broken: %s", r)
		}
	}
}
