package backoffice

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"golang.org/x/crypto/bcrypt"
)

// TestAccountTOTP: someone who is not an administrator sets a second
// factor up from their own page (refused with a wrong code, kept with the
// right one); from then on their login asks for it.
func TestAccountTOTP(t *testing.T) {
	e := newAuthEnv(t, nil)
	b := e.login("pisreg", "pisreg-pass")
	if res := b.postOwn("/gestion/compte/totp/secret", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new secret: %d", res.StatusCode)
	}
	pending := e.staff("pisreg").TOTPPending
	_, page := b.get("/gestion/compte")
	contains(t, page, `src="data:image/png;base64,`, pending[:4])
	if res := b.postOwn("/gestion/compte/totp", url.Values{"code": {"999999"}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong code: %d", res.StatusCode)
	}
	if s := e.staff("pisreg"); s.TOTPSecret != "" || s.Failures != 1 {
		t.Fatalf("after a wrong code: secret %q, failures %d", s.TOTPSecret, s.Failures)
	}
	if res := b.postOwn("/gestion/compte/totp", url.Values{"code": {e.code(pending)}}); res.StatusCode != http.StatusOK {
		t.Fatalf("right code: %d", res.StatusCode)
	}
	// Another secret cannot replace it from the account's page.
	if res := b.postOwn("/gestion/compte/totp/secret", url.Values{}); res.StatusCode != http.StatusConflict {
		t.Fatalf("second secret: %d", res.StatusCode)
	}
	e.clock.add(time.Minute)
	b = e.login("pisreg", "pisreg-pass")
	if res, _ := b.get("/gestion/"); res.Header.Get("Location") != "/gestion/connexion/code" {
		t.Fatalf("login after the set-up: %s", res.Header.Get("Location"))
	}
	if res := b.post("/gestion/connexion/code", url.Values{"csrf": {b.halfCSRF()}, "code": {e.code(pending)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("code: %d", res.StatusCode)
	}
}

// TestDummyHashCost: an unknown login is compared with a hash of the
// configured cost, so it costs what a known one does.
func TestDummyHashCost(t *testing.T) {
	for _, cost := range []int{bcrypt.MinCost, bcrypt.MinCost + 2} {
		b, err := newBackoffice(Config{PasswordCost: cost}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c, err := bcrypt.Cost([]byte(b.dummyHash)); err != nil || c != cost {
			t.Errorf("dummy hash cost %d, want %d", c, cost)
		}
		if b.samePassword(nil, "") {
			t.Error("an unknown login matched")
		}
	}
}

// FuzzTOTPCode: whatever is typed, a code is accepted only when it is,
// spaces aside, the code of one of the steps around now.
func FuzzTOTPCode(f *testing.F) {
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	good, _ := totp.GenerateCodeCustom(secret, now, totpOpts)
	for _, s := range []string{good, "000000", "12345", "1234567", " " + good[:3] + " " + good[3:], "abcdef", "١٢٣٤٥٦", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		step, ok := totpStep(secret, code, now)
		if !ok {
			return
		}
		want, _ := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOpts)
		if strings.ReplaceAll(strings.TrimSpace(code), " ", "") != want || step < now.Unix()/totpPeriod-totpSkew || step > now.Unix()/totpPeriod+totpSkew {
			t.Fatalf("%q accepted at step %d", code, step)
		}
	})
}
