package serial_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/devices/concert"
	"github.com/regie-fr/regie/devices/serial"
	"github.com/regie-fr/regie/devices/serial/serialtest"
)

// terminalOn starts a simulated terminal on one end of a pty pair and a
// driver on the other, both opened with tarm/serial.
func terminalOn(t *testing.T, line serial.Line, cfg concert.Config, sc concert.SimConfig) (*concert.Driver, *serialtest.Pair) {
	t.Helper()
	pair := serialtest.PTYPair(t)
	simPort, err := serial.Open(serial.Config{Name: pair.A, Line: line})
	if err != nil {
		t.Fatal(err)
	}
	if simPort.Name() != pair.A {
		t.Fatalf("Name() = %q", simPort.Name())
	}
	d, err := serial.OpenTerminal(serial.Config{Name: pair.B, Line: line, Baud: 9600}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sim := concert.NewSimulator(simPort, sc)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = sim.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		_ = d.Close()
		_ = simPort.Close()
		<-done
	})
	return d, pair
}

func fastConfigs() (concert.Config, concert.SimConfig) {
	return concert.Config{AnswerTimeout: time.Second, RetryPause: 50 * time.Millisecond, CustomerTimeout: 5 * time.Second},
		concert.SimConfig{AnswerTimeout: time.Second, RetryPause: 50 * time.Millisecond, SlowDelay: time.Minute}
}

func TestPaymentsOverPTY(t *testing.T) {
	for _, line := range []serial.Line{serial.Line8N1, serial.Line7E1} {
		t.Run(string(line), func(t *testing.T) {
			cfg, sc := fastConfigs()
			d, _ := terminalOn(t, line, cfg, sc)
			ctx := context.Background()
			res, err := d.Pay(ctx, 1250)
			if err != nil || !res.Accepted || res.MaskedPAN != "497010******7890" || res.Authorisation == "" {
				t.Fatalf("accepted payment: %+v %v", res, err)
			}
			res, err = d.Pay(ctx, 1207)
			if concert.CodeOf(err) != concert.ERefused || res.Status != "7" {
				t.Fatalf("refused payment: %+v %v", res, err)
			}
			if res, err := d.Pay(ctx, 1206); err != nil || !res.Accepted {
				t.Fatalf("payment after a bad LRC: %+v %v", res, err)
			}
			if res, err := d.Refund(ctx, 1250); err != nil || !res.Accepted || res.Type != concert.Refund {
				t.Fatalf("refund: %+v %v", res, err)
			}
		})
	}
}

func TestUnpluggedWhileWaiting(t *testing.T) {
	cfg, sc := fastConfigs()
	var once sync.Once
	waiting := make(chan struct{})
	cfg.OnState = func(s concert.State) {
		if s == concert.StateWaitingCustomer {
			once.Do(func() { close(waiting) })
		}
	}
	d, pair := terminalOn(t, serial.Line8N1, cfg, sc)
	go func() { <-waiting; pair.Unplug() }()
	start := time.Now()
	_, err := d.Pay(context.Background(), 1209) // slow customer
	if concert.CodeOf(err) != concert.ELink || time.Since(start) > 2*time.Second {
		t.Fatalf("after %v: %v", time.Since(start), err)
	}
	if !strings.Contains(regie.ErrorMessage(err), "débranché") {
		t.Fatalf("message %q", regie.ErrorMessage(err))
	}
}

func TestOpenErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  serial.Config
		want string
	}{
		{"missing port", serial.Config{Name: filepath.Join(t.TempDir(), "ttyACM9")}, "introuvable"},
		{"no name", serial.Config{}, "Indiquez le port"},
		{"bad line", serial.Config{Name: "/dev/null", Line: "9N1"}, "8N1 (USB) ou 7E1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := serial.OpenTerminal(tc.cfg, concert.Config{})
			if err == nil {
				d.Close()
				t.Fatal("opened")
			}
			var e *serial.Error
			if !errors.As(err, &e) || regie.ErrorCodeOf(err) != serial.EPort || !strings.Contains(regie.ErrorMessage(err), tc.want) {
				t.Fatalf("error %v, message %q", err, regie.ErrorMessage(err))
			}
			if !strings.HasPrefix(err.Error(), "serial: ") {
				t.Fatalf("Error() = %q", err.Error())
			}
		})
	}
	if l, err := serial.ParseLine(" 7e1 "); err != nil || l != serial.Line7E1 {
		t.Fatalf("ParseLine: %v %v", l, err)
	}
}
