package client_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/sync/client"
	"github.com/regie-fr/regie/sync/protocol"
)

// counting is a RoundTripper that counts pushes on their way to the server.
type counting struct{ pushes atomic.Int32 }

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == protocol.PathPush {
		c.pushes.Add(1)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// serverPayments counts the payments the server holds.
func (s *server) payments() int {
	s.t.Helper()
	var n int
	if err := s.st.DB().QueryRow(`SELECT count(*) FROM payments`).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

// TestNewEntryIsPushedWithinSeconds: with a periodic round only every hour,
// a payment recorded at the counter still reaches the server, because
// recording it nudges the client, which pushes after its short delay.
func TestNewEntryIsPushedWithinSeconds(t *testing.T) {
	srv := newServer(t, "C01")
	tr := &counting{}
	k := newCounter(t, srv, "C01", client.Options{Interval: time.Hour, PushDelay: 20 * time.Millisecond, Transport: tr})
	k.c.OnRecorded(k.sync.Nudge)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.sync.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	until(t, func() bool { return !k.sync.State().LastSuccess.IsZero() }) // the first round, at start
	before := tr.pushes.Load()
	for i := range 3 {
		k.cash("h-0001", "i-0001-1", regie.Money(100+100*i))
		until(t, func() bool { return srv.payments() == i+1 })
	}
	if s := k.sync.State(); s.LastError != "" {
		t.Fatalf("state: %+v", s)
	}
	if tr.pushes.Load() == before {
		t.Fatal("no push went out")
	}
}

// TestNudgesAreCoalesced: many nudges in a row make one push of every
// pending entry, not one push each.
func TestNudgesAreCoalesced(t *testing.T) {
	srv := newServer(t, "C01")
	tr := &counting{}
	k := newCounter(t, srv, "C01", client.Options{Interval: time.Hour, PushDelay: 300 * time.Millisecond, Transport: tr})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.sync.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	until(t, func() bool { return !k.sync.State().LastSuccess.IsZero() })
	for range 5 {
		k.cash("h-0002", "i-0002-1", 2_00) // the hook is not set: no nudge yet
	}
	before := tr.pushes.Load()
	for range 100 {
		k.sync.Nudge()
	}
	until(t, func() bool { return srv.payments() == 5 })
	time.Sleep(400 * time.Millisecond) // a second debounced push would have left by now
	if n := tr.pushes.Load() - before; n != 1 {
		t.Fatalf("%d pushes for 100 nudges, want 1", n)
	}
}
