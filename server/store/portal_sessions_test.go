package store_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/store"
)

// sessionClock is a settable time shared by two "instances".
type sessionClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *sessionClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *sessionClock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// cookieOf is a request carrying the session cookie a response set.
func cookieOf(rec *httptest.ResponseRecorder) *http.Request {
	r := httptest.NewRequest("GET", "/", nil)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge >= 0 {
			r.AddCookie(c)
		}
	}
	return r
}

// TestPortalSessionsSharedByTwoInstances: two stores opened on one SQLite
// file stand for two server instances; a session started on one is read,
// changed and ended on the other; only the token's hash is in the file;
// idle and absolute expiry apply on both; the sweep deletes what expired.
func TestPortalSessionsSharedByTwoInstances(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "serveur.db")
	var sts [2]*store.Store
	for i := range sts {
		st, err := store.Open(ctx, file)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		sts[i] = st
	}
	c := &sessionClock{now: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)}
	one := auth.NewSessions(auth.SessionConfig{Now: c.Now, Store: sts[0].PortalSessions()})
	two := auth.NewSessions(auth.SessionConfig{Now: c.Now, Store: sts[1].PortalSessions()})
	get := func(s *auth.Sessions, r *http.Request) *auth.Session {
		t.Helper()
		x, err := s.Get(r)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	login := func(subject string) (*auth.Session, *http.Request) {
		t.Helper()
		rec := httptest.NewRecorder()
		x, err := one.Rotate(rec, httptest.NewRequest("GET", "/", nil), func(x *auth.Session) {
			x.Identity = &auth.Identity{Subject: subject, FamilyName: "Martin", IDToken: "id.token"}
			x.Notices = []string{"Depuis votre dernière visite, …"}
		})
		if err != nil {
			t.Fatal(err)
		}
		return x, cookieOf(rec)
	}

	x, req := login("sub-1")
	got := get(two, req)
	if !got.LoggedIn() || got.ID != x.ID || got.CSRF != x.CSRF || got.Identity.Subject != "sub-1" ||
		got.Identity.IDToken != "id.token" || len(got.Notices) != 1 {
		t.Fatalf("instance 2 sees %+v", got)
	}
	// Changes made on one instance are seen on the other, and two changes
	// one after the other lose neither.
	if err := two.Update(ctx, x.ID, func(s *auth.Session) { s.Household = "F1" }); err != nil {
		t.Fatal(err)
	}
	if err := one.Update(ctx, x.ID, func(s *auth.Session) { s.Notices = nil }); err != nil {
		t.Fatal(err)
	}
	if got := get(one, req); got.Household != "F1" || got.Notices != nil || got.CSRF != x.CSRF {
		t.Fatalf("instance 1 sees %+v", got)
	}
	// The file holds the token's hash, never the token.
	var n int
	if err := sts[0].QueryRow(`SELECT count(*) FROM portal_sessions WHERE id_hash = ? AND id_hash <> ?`,
		auth.SessionHash(x.ID), x.ID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("hash row: %d %v", n, err)
	}
	var data string
	if err := sts[0].QueryRow(`SELECT group_concat(id_hash || data) FROM portal_sessions`).Scan(&data); err != nil ||
		strings.Contains(data, x.ID) {
		t.Fatalf("the token is in the file: %v", err)
	}

	// Logging in again from the same browser ends its session.
	rec := httptest.NewRecorder()
	y, err := two.Rotate(rec, req, func(s *auth.Session) { s.Identity = &auth.Identity{Subject: "sub-1"} })
	if err != nil {
		t.Fatal(err)
	}
	if get(one, req) != nil || y.ID == x.ID || y.CSRF == x.CSRF {
		t.Fatal("the session before the login survived it")
	}
	req = cookieOf(rec)

	// Idle: used within its 30 minutes it lives on (on either instance);
	// past them it is refused on both.
	for i := 0; i < 4; i++ {
		c.add(25 * time.Minute)
		if !get([]*auth.Sessions{one, two}[i%2], req).LoggedIn() {
			t.Fatalf("session lost after %d uses within the idle time", i)
		}
	}
	_, other := login("sub-2")
	c.add(31 * time.Minute)
	if get(one, other) != nil || get(two, other) != nil {
		t.Fatal("idle session still alive")
	}
	// Absolute: 12 hours after the login, however busy.
	_, busy := login("sub-3")
	for i := 0; i < 24; i++ {
		c.add(29 * time.Minute)
		if !get(two, busy).LoggedIn() {
			t.Fatalf("busy session lost after %d minutes", (i+1)*29)
		}
	}
	c.add(25 * time.Minute)
	if get(one, busy) != nil {
		t.Fatal("session alive past 12 hours")
	}

	// Logout on one instance ends it on the other.
	_, a := login("sub-4")
	_, b := login("sub-5")
	if err := two.Destroy(httptest.NewRecorder(), a); err != nil {
		t.Fatal(err)
	}
	if get(one, a) != nil || !get(one, b).LoggedIn() {
		t.Fatal("logout ended the wrong session")
	}
	if err := one.Update(ctx, "unknown", func(*auth.Session) {}); err != auth.ErrNoSession {
		t.Fatalf("update of no session: %v", err)
	}

	// The sweep deletes the expired sessions only (a login sweeps too:
	// this one comes before b expires).
	c.add(20 * time.Minute)
	_, fresh := login("sub-6")
	c.add(11 * time.Minute)
	if n, err := two.Sweep(ctx, c.Now()); err != nil || n == 0 {
		t.Fatalf("sweep: %d %v", n, err)
	}
	if err := sts[0].QueryRow(`SELECT count(*) FROM portal_sessions`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("after the sweep %d sessions, %v", n, err)
	}
	if !get(two, fresh).LoggedIn() {
		t.Fatal("the sweep ended a live session")
	}
}
