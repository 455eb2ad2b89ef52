package auth_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/auth"
)

// TestLoginCookies: the login in flight comes back whole from its sealed
// cookie, once; a tampered, foreign or stale cookie gives nothing.
func TestLoginCookies(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	key := bytes.Repeat([]byte{7}, 32)
	c, err := auth.NewLoginCookies(key, false, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	p := auth.NewPending(now)
	rec := httptest.NewRecorder()
	if err := c.Set(rec, p); err != nil {
		t.Fatal(err)
	}
	ck := rec.Result().Cookies()[0]
	if ck.Name != "__Host-regie-login" || !ck.Secure || !ck.HttpOnly || ck.MaxAge != 600 {
		t.Fatalf("cookie %+v", ck)
	}
	take := func(c *auth.LoginCookies, value string) (*auth.Pending, *httptest.ResponseRecorder) {
		r := httptest.NewRequest("GET", "/connexion/retour", nil)
		r.AddCookie(&http.Cookie{Name: ck.Name, Value: value})
		w := httptest.NewRecorder()
		return c.Take(w, r), w
	}
	got, w := take(c, ck.Value)
	if got == nil || *got != *p {
		t.Fatalf("took %+v, want %+v", got, p)
	}
	if cl := w.Result().Cookies(); len(cl) != 1 || cl[0].MaxAge >= 0 {
		t.Fatalf("cookie not cleared: %v", cl)
	}
	flipped := []byte(ck.Value)
	flipped[len(flipped)/2] ^= 1
	if got, _ := take(c, string(flipped)); got != nil {
		t.Fatal("tampered cookie opened")
	}
	other, _ := auth.NewLoginCookies(bytes.Repeat([]byte{8}, 32), false, func() time.Time { return now })
	if got, _ := take(other, ck.Value); got != nil {
		t.Fatal("cookie opened under another key")
	}
	late, _ := auth.NewLoginCookies(key, false, func() time.Time { return now.Add(auth.PendingTTL + time.Second) })
	if got, _ := take(late, ck.Value); got != nil {
		t.Fatal("stale cookie opened")
	}
	if _, err := auth.NewLoginCookies([]byte("court"), false, nil); err == nil {
		t.Fatal("short key accepted")
	}
}
