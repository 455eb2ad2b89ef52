package concert

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie"
)

func TestNoENQAnswer(t *testing.T) {
	sc := testSim()
	sc.Outcome = Off
	l := newLoop(t, testConfig(), sc)
	start := time.Now()
	res, err := l.d.Pay(context.Background(), 1250)
	wantCode(t, err, ENoAnswer)
	took := time.Since(start)
	if res != (Result{}) || took < 3*testAnswer || took > 3*testAnswer+time.Second {
		t.Fatalf("result %+v after %v", res, took)
	}
	trace := l.trace.String()
	if n := strings.Count(trace, "caisse → TPE  05 "); n != 3 {
		t.Fatalf("%d ENQ sent, want 3:\n%s", n, trace)
	}
	if n := strings.Count(trace, "caisse → TPE  04 "); n != 3 {
		t.Fatalf("%d EOT sent after the unanswered ENQ, want 3", n)
	}
	if len(l.sim.Requests()) != 0 {
		t.Fatal("the terminal got a request")
	}
}

func TestSilentAfterACK(t *testing.T) {
	sc := testSim()
	sc.Outcome = SilentAfterACK
	l := newLoop(t, testConfig(), sc)
	start := time.Now()
	_, err := l.d.Pay(context.Background(), 1250)
	e := wantCode(t, err, ENoAnswer)
	if !errors.Is(e, errTimeout) || time.Since(start) > testAnswer+time.Second {
		t.Fatalf("error %v after %v", err, time.Since(start))
	}
	if !strings.Contains(l.trace.String(), "trame de 37 octets") {
		t.Fatalf("the request was not sent:\n%s", l.trace.String())
	}
}

func TestCustomerTimeout(t *testing.T) {
	cfg := testConfig()
	cfg.CustomerTimeout = 300 * time.Millisecond
	l := newLoop(t, cfg, testSim())
	start := time.Now()
	_, err := l.d.Pay(context.Background(), 1208) // ,08: the terminal never answers
	wantCode(t, err, ETimeout)
	if took := time.Since(start); took < cfg.CustomerTimeout || took > cfg.CustomerTimeout+time.Second {
		t.Fatalf("gave up after %v", took)
	}
	if len(l.sim.Requests()) != 1 {
		t.Fatal("the terminal did not get the request")
	}
}

func TestAgentCancelsMidWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := testConfig()
	cfg.OnState = func(s State) {
		if s == StateWaitingCustomer {
			go func() { time.Sleep(50 * time.Millisecond); cancel() }()
		}
	}
	sc := testSim()
	sc.SlowDelay = 300 * time.Millisecond
	sc.AnswerTimeout = 100 * time.Millisecond // its late call back gives up sooner
	l := newLoop(t, cfg, sc)
	start := time.Now()
	_, err := l.d.Pay(ctx, 1209) // ,09: slow customer
	wantCode(t, err, ECancelled)
	if !errors.Is(err, context.Canceled) || time.Since(start) > sc.SlowDelay {
		t.Fatalf("error %v after %v", err, time.Since(start))
	}
	if l.d.State() != StateIdle {
		t.Fatalf("state after cancel: %v", l.d.State())
	}
	// The terminal answers later, to nobody; the next payment ignores it.
	time.Sleep(sc.SlowDelay + 3*sc.AnswerTimeout + 200*time.Millisecond)
	res, err := l.d.Pay(context.Background(), 1250)
	if err != nil || !res.Accepted {
		t.Fatalf("payment after a cancel: %+v %v", res, err)
	}
	if !strings.Contains(l.trace.String(), "ignoré") {
		t.Fatalf("the late answer was not ignored:\n%s", l.trace.String())
	}
}

func TestBusyAndAmountBounds(t *testing.T) {
	sc := testSim()
	sc.SlowDelay = 400 * time.Millisecond
	waiting := make(chan struct{})
	var once sync.Once
	cfg := testConfig()
	cfg.OnState = func(s State) {
		if s == StateWaitingCustomer {
			once.Do(func() { close(waiting) })
		}
	}
	l := newLoop(t, cfg, sc)
	done := make(chan error)
	go func() {
		_, err := l.d.Pay(context.Background(), 1209)
		done <- err
	}()
	<-waiting
	if l.d.State() != StateWaitingCustomer {
		t.Fatalf("state %v", l.d.State())
	}
	_, err := l.d.Pay(context.Background(), 1000)
	wantCode(t, err, EBusy)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, amount := range []regie.Money{0, -100, MaxAmount + 1} {
		_, err := l.d.Pay(context.Background(), amount)
		wantCode(t, err, EAmount)
	}
	if _, err := l.d.Pay(context.Background(), MaxAmount); err != nil {
		t.Fatalf("largest amount: %v", err)
	}
	bad := New(nopRW{}, Config{Till: 100})
	_, err = bad.Pay(context.Background(), 1250)
	wantCode(t, err, EConfig)
}

// nopRW is a port where nothing ever comes.
type nopRW struct{}

func (nopRW) Read([]byte) (int, error)    { select {} }
func (nopRW) Write(p []byte) (int, error) { return len(p), nil }

func TestLinkClosedWhileWaiting(t *testing.T) {
	a, b := net.Pipe()
	sim := NewSimulator(b, SimConfig{AnswerTimeout: testAnswer, SlowDelay: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = sim.Run(ctx) }()
	waiting := make(chan struct{})
	cfg := testConfig()
	cfg.OnState = func(s State) {
		if s == StateWaitingCustomer {
			close(waiting)
		}
	}
	d := New(a, cfg)
	defer d.Close()
	go func() { <-waiting; b.Close() }() // the terminal is unplugged
	start := time.Now()
	_, err := d.Pay(context.Background(), 1209)
	wantCode(t, err, ELink)
	if time.Since(start) > time.Second {
		t.Fatalf("unplugging noticed after %v", time.Since(start))
	}
	_, err = d.Pay(context.Background(), 1250)
	wantCode(t, err, ELink)
}

func TestVersionEShortAnswer(t *testing.T) {
	cfg := testConfig()
	cfg.Version, cfg.ShortAnswer, cfg.Till = VersionE, true, 7
	l := newLoop(t, cfg, testSim())
	res, err := l.d.Pay(context.Background(), 1250)
	if err != nil || !res.Accepted || res.MaskedPAN != "" || res.Authorisation != "100001" {
		t.Fatalf("%+v %v", res, err)
	}
	reqs := l.sim.Requests()
	if len(reqs) != 1 || reqs[0].Version != VersionE || reqs[0].FullAnswer || reqs[0].Till != 7 {
		t.Fatalf("requests %+v", reqs)
	}
	trace := l.trace.String()
	if !strings.Contains(trace, "trame de 29 octets") || !strings.Contains(trace, "trame de 28 octets") {
		t.Fatalf("trace:\n%s", trace)
	}
}

// eofOnTimeout behaves like tarm/serial with a read timeout: when nothing
// comes for a while, Read returns 0, io.EOF.
type eofOnTimeout struct{ net.Conn }

func (e eofOnTimeout) Read(p []byte) (int, error) {
	_ = e.Conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	n, err := e.Conn.Read(p)
	if n == 0 && isTimeout(err) {
		return 0, io.EOF
	}
	return n, err
}

func TestReadTimeoutAsEOF(t *testing.T) {
	a, b := net.Pipe()
	sim := NewSimulator(b, SimConfig{AnswerTimeout: time.Second, CustomerDelay: 350 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = sim.Run(ctx) }()
	d := New(eofOnTimeout{a}, Config{AnswerTimeout: time.Second})
	defer d.Close()
	defer b.Close()
	res, err := d.Pay(context.Background(), 1250)
	if err != nil || !res.Accepted {
		t.Fatalf("%+v %v", res, err)
	}
}
