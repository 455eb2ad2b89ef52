package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/regie-fr/regie/sync/client"
	"github.com/regie-fr/regie/sync/protocol"
)

// TestServerLearnsWhatTheCounterHolds: every request tells the server the
// head of the counter's journal, so that when pushes stop half-way (here
// the server fails after the first batch) the back-office's dashboard
// counts the entries the counter holds and the server has not; once the
// counter catches up there are none.
func TestServerLearnsWhatTheCounterHolds(t *testing.T) {
	ctx := context.Background()
	srv := newServer(t, "C01")
	target, _ := url.Parse(srv.url())
	proxy := httputil.NewSingleHostReverseProxy(target)
	var failing atomic.Bool
	var pushes atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == protocol.PathPush && failing.Load() && pushes.Add(1) > 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()
	k := newCounterAt(t, srv, front.URL, "C01", client.Options{BatchSize: 2})
	k.mustSync()
	for range 3 {
		k.cash("h-0001", "i-0001-1", 1_00)
	}
	failing.Store(true)
	if err := k.sync.Sync(ctx); err == nil {
		t.Fatal("sync went through a failing server")
	}
	p, err := k.c.SyncPoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pending := func() int64 {
		ds, err := srv.st.Dashboard(ctx, []string{"ENF"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range ds[0].Counters {
			if c.Counter.Code == "C01" {
				if c.ReportedHead != p.Last {
					t.Errorf("reported head %d, counter's last %d", c.ReportedHead, p.Last)
				}
				return c.Pending
			}
		}
		t.Fatal("no C01 on the dashboard")
		return 0
	}
	if got, want := pending(), p.Last-p.Acked; got != want || want <= 0 {
		t.Errorf("pending %d, want %d", got, want)
	}
	failing.Store(false)
	k.mustSync()
	if p, _ = k.c.SyncPoint(ctx); pending() != 0 {
		t.Errorf("pending after catching up: %d", pending())
	}
}
