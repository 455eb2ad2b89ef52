package auth_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/auth"
)

// TestNamedLoginCookies: two logins on one host under the same key (the
// portal's and the back-office's) keep apart: each has its own cookie,
// and a value sealed for one does not open as the other.
func TestNamedLoginCookies(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	key := bytes.Repeat([]byte{7}, 32)
	clock := func() time.Time { return now }
	portal, err := auth.NewLoginCookies(key, false, clock)
	if err != nil {
		t.Fatal(err)
	}
	staff, err := auth.NewNamedLoginCookies("__Host-regie-gestion-login", key, false, clock)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	if err := staff.Set(rec, auth.NewPending(now)); err != nil {
		t.Fatal(err)
	}
	ck := rec.Result().Cookies()[0]
	if ck.Name != "__Host-regie-gestion-login" || !ck.Secure {
		t.Fatalf("cookie %+v", ck)
	}
	// The back-office's value under the portal's name opens as nothing.
	r := httptest.NewRequest("GET", "/connexion/retour", nil)
	r.AddCookie(&http.Cookie{Name: "__Host-regie-login", Value: ck.Value})
	if p := portal.Take(httptest.NewRecorder(), r); p != nil {
		t.Fatal("a back-office login opened as the portal's")
	}
	r = httptest.NewRequest("GET", "/gestion/connexion/retour", nil)
	r.AddCookie(ck)
	if p := staff.Take(httptest.NewRecorder(), r); p == nil {
		t.Fatal("the back-office's own login did not open")
	}
}
