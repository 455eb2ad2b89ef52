package concert

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie"
)

// Short timings keep the suite fast; the protocol is the same.
const (
	testAnswer   = 250 * time.Millisecond
	testPause    = 10 * time.Millisecond
	testCustomer = 2 * time.Second
)

func testConfig() Config {
	return Config{AnswerTimeout: testAnswer, RetryPause: testPause, CustomerTimeout: testCustomer}
}

func testSim() SimConfig {
	return SimConfig{AnswerTimeout: testAnswer, RetryPause: testPause, SlowDelay: 5 * time.Second}
}

// syncBuffer is a bytes.Buffer safe for the driver's goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// loop is a driver and a simulator joined by net.Pipe, with the driver's
// trace and the states it went through.
type loop struct {
	d      *Driver
	sim    *Simulator
	trace  *syncBuffer
	mu     sync.Mutex
	states []State
}

func newLoop(t *testing.T, cfg Config, sim SimConfig) *loop {
	t.Helper()
	l := &loop{trace: &syncBuffer{}}
	cfg.Trace = l.trace
	user := cfg.OnState
	cfg.OnState = func(s State) {
		l.mu.Lock()
		l.states = append(l.states, s)
		l.mu.Unlock()
		if user != nil {
			user(s)
		}
	}
	var stop func()
	l.d, l.sim, stop = Loopback(cfg, sim)
	t.Cleanup(stop)
	return l
}

func (l *loop) seen() []State {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]State(nil), l.states...)
}

// wantCode checks that err is an *Error with code, an English Error() and
// the French message of the code, also through regie.ErrorMessage.
func wantCode(t *testing.T, err error, code regie.ErrorCode) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
	if regie.ErrorCodeOf(err) != code || regie.ErrorMessage(err) != Message(code) || Message(code) == "" {
		t.Fatalf("regie.ErrorMessage(%v) = %q", err, regie.ErrorMessage(err))
	}
	if !strings.HasPrefix(err.Error(), "concert: "+string(code)) {
		t.Fatalf("Error() = %q", err.Error())
	}
	return e
}

func TestPayAccepted(t *testing.T) {
	l := newLoop(t, testConfig(), testSim())
	res, err := l.d.Pay(context.Background(), 1250)
	if err != nil {
		t.Fatal(err)
	}
	want := Result{Accepted: true, Status: "0", Amount: 1250, Authorisation: "100001", MaskedPAN: "497010******7890", Type: Debit}
	if res != want {
		t.Fatalf("result %+v, want %+v", res, want)
	}
	wantStates := []State{StateCalling, StateSending, StateWaitingCustomer, StateReceiving, StateIdle}
	if got := l.seen(); !equalStates(got, wantStates) {
		t.Fatalf("states %v, want %v", got, wantStates)
	}
	if l.d.State() != StateIdle {
		t.Fatalf("state after Pay: %v", l.d.State())
	}
	reqs := l.sim.Requests()
	if len(reqs) != 1 || reqs[0].Type != Debit || !reqs[0].FullAnswer || reqs[0].Version != VersionEPlus || reqs[0].Till != 1 {
		t.Fatalf("requests seen by the terminal: %+v", reqs)
	}
	trace := l.trace.String()
	for _, want := range []string{"ENQ", "ACK", "EOT", "trame de 37 octets", "trame de 83 octets", "numéro de carte masqué"} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace lacks %q:\n%s", want, trace)
		}
	}
	if strings.Contains(trace, "|0101234567890") || strings.Contains(trace, "4567890") && !strings.Contains(trace, "******7890") {
		t.Fatalf("trace shows the card number:\n%s", trace)
	}
	// A second payment on the same driver gets the next authorisation.
	if res, err := l.d.Pay(context.Background(), 3000); err != nil || res.Authorisation != "100002" {
		t.Fatalf("second payment: %+v %v", res, err)
	}
}

func TestPayRefusedAndNotProcessed(t *testing.T) {
	l := newLoop(t, testConfig(), testSim())
	res, err := l.d.Pay(context.Background(), 1207)
	wantCode(t, err, ERefused)
	if res.Accepted || res.Status != "7" || res.Amount != 1207 || res.Authorisation != "" {
		t.Fatalf("refused result %+v", res)
	}
	res, err = l.d.Pay(context.Background(), 1205)
	wantCode(t, err, ENotProcessed)
	if res.Accepted || res.Status != "9" {
		t.Fatalf("not processed result %+v", res)
	}
}

func TestRefund(t *testing.T) {
	l := newLoop(t, testConfig(), testSim())
	res, err := l.d.Refund(context.Background(), 4200)
	if err != nil || !res.Accepted || res.Type != Refund || res.Amount != 4200 {
		t.Fatalf("refund: %+v %v", res, err)
	}
	if reqs := l.sim.Requests(); len(reqs) != 1 || reqs[0].Type != Refund || reqs[0].Amount != 4200 {
		t.Fatalf("requests: %+v", reqs)
	}
	res, err = l.d.Refund(context.Background(), 4207)
	if CodeOf(err) != ERefused || res.Accepted || res.Type != Refund || regie.ErrorMessage(err) != msgRefundNotDone {
		t.Fatalf("refused refund: %+v %v %q", res, err, regie.ErrorMessage(err))
	}
}

func TestBadLRCThenGood(t *testing.T) {
	for _, tc := range []struct {
		name   string
		amount regie.Money
		sim    func(*SimConfig)
	}{
		{"by amount ,06", 1206, func(*SimConfig) {}},
		{"by configuration", 1250, func(c *SimConfig) { c.CorruptLRCOnce = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := testSim()
			tc.sim(&sc)
			l := newLoop(t, testConfig(), sc)
			res, err := l.d.Pay(context.Background(), tc.amount)
			if err != nil || !res.Accepted {
				t.Fatalf("%+v %v", res, err)
			}
			trace := l.trace.String()
			if n := strings.Count(trace, "caisse → TPE  15 "); n != 1 {
				t.Fatalf("%d NAK sent, want 1:\n%s", n, trace)
			}
			if !strings.Contains(trace, "refusée : LRC faux") || strings.Count(trace, "trame de 83 octets") != 2 {
				t.Fatalf("trace:\n%s", trace)
			}
			// Only once: the next answer is good at the first try.
			if _, err := l.d.Pay(context.Background(), 1250); err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(l.trace.String(), "caisse → TPE  15 "); n != 1 {
				t.Fatalf("%d NAK after the second payment, want 1", n)
			}
		})
	}
}

func equalStates(a, b []State) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
