package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/sync/protocol"
)

// TestOnlyIdempotentRequestsAreResent sends requests to a server that cuts
// every connection, or answers 503, or 400, and counts what arrives: an
// idempotent request is sent three times on a cut or a 503, once on a 400;
// a request not declared idempotent is sent once whatever happens.
func TestOnlyIdempotentRequestsAreResent(t *testing.T) {
	var hits atomic.Int32
	var mode atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch mode.Load() {
		case "cut":
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		case "503":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.WriteHeader(http.StatusBadRequest)
		}
	}))
	defer srv.Close()
	c := New(nil, Options{})
	c.http.SetRetryWaitTime(0).SetRetryMaxWaitTime(0)
	for _, tc := range []struct {
		mode, method, path string
		want               int32
	}{
		{"cut", "POST", protocol.PathPush, 3},
		{"cut", "POST", protocol.PathEnrol, 3},
		{"cut", "POST", protocol.PathLinkSlips, 3},
		{"cut", "GET", protocol.PathPull + "?cursor=x", 3},
		{"503", "POST", protocol.PathEnrol, 3},
		{"400", "POST", protocol.PathEnrol, 1},
		{"400", "GET", protocol.PathPull, 1},
		{"cut", "POST", protocol.Prefix + "/something-else", 1},
		{"503", "POST", protocol.Prefix + "/something-else", 1},
		{"cut", "DELETE", protocol.PathPush, 1},
	} {
		hits.Store(0)
		mode.Store(tc.mode)
		var out struct{}
		err := c.call(context.Background(), app.SyncPoint{Server: srv.URL}, tc.method, tc.path, struct{}{}, &out)
		if err == nil {
			t.Errorf("%s %s %s: no error", tc.mode, tc.method, tc.path)
		}
		if got := hits.Load(); got != tc.want {
			t.Errorf("%s %s %s: sent %d times, want %d", tc.mode, tc.method, tc.path, got, tc.want)
		}
	}
}
