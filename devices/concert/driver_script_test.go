package concert

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// scripted is a terminal written by hand with the package's session
// primitives, for answers the simulator never gives.
func scripted(t *testing.T, answer func(try int) []byte) *Driver {
	t.Helper()
	a, b := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		term := newLink(b, nil, nil, time.Second)
		tm := timing{enqTries: 3, frameTries: 3, answer: testAnswer, pause: testPause}
		if _, err := term.waitFor(ctx, 0, ENQ); err != nil {
			return
		}
		if _, err := term.accept(ctx, tm); err != nil {
			return
		}
		if term.call(ctx, tm) == nil {
			_ = term.deliver(ctx, tm, answer)
		}
	}()
	d := New(a, testConfig())
	t.Cleanup(func() { cancel(); d.Close(); b.Close(); <-done })
	return d
}

func responseFrame(t *testing.T, r Response) []byte {
	t.Helper()
	msg, err := r.Encode()
	if err != nil {
		t.Fatal(err)
	}
	f, _ := Frame(msg)
	return f
}

func TestBadLRCEveryTime(t *testing.T) {
	good := responseFrame(t, Response{Till: 1, Status: '0', Amount: 1250, Mode: '1', Currency: "978", Private: "1"})
	tries := 0
	d := scripted(t, func(int) []byte {
		tries++
		bad := append([]byte(nil), good...)
		bad[len(bad)-1]++
		return bad
	})
	res, err := d.Pay(context.Background(), 1250)
	e := wantCode(t, err, EUnreadable)
	if res.Accepted || tries != DefaultFrameTries || !strings.Contains(e.Error(), "wrong LRC") {
		t.Fatalf("result %+v after %d frames: %v", res, tries, err)
	}
}

func TestAnswerNotMatchingTheRequest(t *testing.T) {
	for _, tc := range []struct {
		name   string
		frame  []byte
		accept bool
	}{
		{"other amount", responseFrame(t, Response{Till: 1, Status: '0', Amount: 125, Mode: '1', Currency: "978", Private: "9"}), true},
		{"wrong length", func() []byte { f, _ := Frame([]byte("0100000125019")); return f }(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := scripted(t, func(int) []byte { return tc.frame })
			res, err := d.Pay(context.Background(), 1250)
			wantCode(t, err, EUnreadable)
			if res.Accepted != tc.accept {
				t.Fatalf("result %+v", res)
			}
		})
	}
}
