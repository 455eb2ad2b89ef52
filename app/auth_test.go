package app_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
)

// failLogins types a wrong PIN n times for login.
func (f *fixture) failLogins(login string, n int) {
	f.t.Helper()
	for i := 0; i < n; i++ {
		_, err := f.c.Login(f.ctx, login, "0000")
		wantCode(f.t, err, regie.EBadCredentials)
	}
}

// wantLoginJournaled asserts that the journal's head is a login attempt of
// agent with the given outcome, one entry after m.
func (f *fixture) wantLoginJournaled(m mark, agent string, success bool) {
	f.t.Helper()
	e := f.lastEntry()
	var l regie.Login
	if err := json.Unmarshal(e.Data, &l); err != nil {
		f.t.Fatal(err)
	}
	if e.Seq != m.seq+1 || e.Kind != regie.KindLogin || l.Agent != agent || l.Success != success {
		f.t.Fatalf("after login: entry %d %s %+v, want entry %d for %s success=%v", e.Seq, e.Kind, l, m.seq+1, agent, success)
	}
	if got := f.mark().receipt; got != m.receipt {
		f.t.Fatalf("a login used receipt number %d", got)
	}
}

func TestLogin(t *testing.T) {
	f := newFixture(t)
	deactivated := regie.Agent{ID: "a-0009", Login: "ancien", Name: "Agent parti", Role: regie.RoleRegisseur, Active: false}
	var err error
	if deactivated.PINHash, err = app.HashPINCost("9876", 4); err != nil {
		t.Fatal(err)
	}
	if err := f.c.Configure(f.ctx, demo.Counter(), demo.Regie(), []regie.Agent{deactivated}); err != nil {
		t.Fatal(err)
	}
	_, wrongPIN := f.c.Login(f.ctx, demo.MandataireLogin, "0000")

	t.Run("right PIN", func(t *testing.T) {
		f := f.on(t)
		m := f.mark()
		a, err := f.c.Login(f.ctx, demo.RegisseurLogin, demo.RegisseurPIN)
		if err != nil {
			t.Fatal(err)
		}
		if a.Agent().ID != "a-0001" || a.Agent().Role != regie.RoleRegisseur || a.Agent().PINHash != "" {
			t.Fatalf("logged in as %+v", a.Agent())
		}
		f.wantLoginJournaled(m, "a-0001", true)
	})
	t.Run("wrong PIN", func(t *testing.T) {
		f := f.on(t)
		m := f.mark()
		_, err := f.c.Login(f.ctx, demo.SuppleantLogin, demo.RegisseurPIN)
		wantCode(t, err, regie.EBadCredentials)
		f.wantLoginJournaled(m, "a-0002", false)
	})
	for _, tc := range []struct{ name, login, pin string }{
		{"unknown login", "inconnu", demo.RegisseurPIN},
		{"empty login", "", ""},
		{"deactivated agent", "ancien", "9876"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := f.on(t)
			m := f.mark()
			_, err := f.c.Login(f.ctx, tc.login, tc.pin)
			f.refused(err, regie.EBadCredentials, m)
			if regie.ErrorMessage(err) != regie.ErrorMessage(wrongPIN) {
				t.Fatalf("message %q differs from a wrong PIN's %q", regie.ErrorMessage(err), regie.ErrorMessage(wrongPIN))
			}
		})
	}
	t.Run("unknown login is never locked", func(t *testing.T) {
		f := f.on(t)
		m := f.mark()
		for i := 0; i < 7; i++ {
			_, err := f.c.Login(f.ctx, "inconnu", "1234")
			f.refused(err, regie.EBadCredentials, m)
		}
	})
}

func TestLockout(t *testing.T) {
	t.Run("five failures lock even the right PIN", func(t *testing.T) {
		f := newFixture(t)
		f.failLogins(demo.MandataireLogin, 5)
		m := f.mark()
		_, err := f.c.Login(f.ctx, demo.MandataireLogin, demo.MandatairePIN)
		wantCode(t, err, regie.ELockedOut)
		f.wantLoginJournaled(m, "a-0003", false)
		f.login(demo.RegisseurLogin, demo.RegisseurPIN) // others still log in
	})
	t.Run("four failures do not lock", func(t *testing.T) {
		f := newFixture(t)
		f.failLogins(demo.MandataireLogin, 4)
		f.login(demo.MandataireLogin, demo.MandatairePIN)
	})
	t.Run("a success resets the count", func(t *testing.T) {
		f := newFixture(t)
		f.failLogins(demo.MandataireLogin, 4)
		f.login(demo.MandataireLogin, demo.MandatairePIN)
		f.failLogins(demo.MandataireLogin, 4)
		f.login(demo.MandataireLogin, demo.MandatairePIN)
		f.failLogins(demo.MandataireLogin, 5)
		_, err := f.c.Login(f.ctx, demo.MandataireLogin, demo.MandatairePIN)
		wantCode(t, err, regie.ELockedOut)
	})
	t.Run("still locked a second before 15 min", func(t *testing.T) {
		f := newFixture(t)
		f.failLogins(demo.MandataireLogin, 5)
		f.clock.Set(f.clock.Peek().Add(15*time.Minute - 2*time.Second)) // next instant: last failure + 14:59
		_, err := f.c.Login(f.ctx, demo.MandataireLogin, demo.MandatairePIN)
		wantCode(t, err, regie.ELockedOut)
	})
	t.Run("lock ends after 15 min", func(t *testing.T) {
		f := newFixture(t)
		f.failLogins(demo.MandataireLogin, 5)
		f.clock.Set(f.clock.Peek().Add(15*time.Minute - time.Second)) // next instant: last failure + 15:00
		m := f.mark()
		f.login(demo.MandataireLogin, demo.MandatairePIN)
		f.wantLoginJournaled(m, "a-0003", true)
	})
	t.Run("attempts while locked extend the lock", func(t *testing.T) {
		f := newFixture(t)
		f.failLogins(demo.MandataireLogin, 5)
		f.clock.Set(f.clock.Peek().Add(10 * time.Minute))
		_, err := f.c.Login(f.ctx, demo.MandataireLogin, demo.MandatairePIN)
		wantCode(t, err, regie.ELockedOut)
		f.clock.Set(f.clock.Peek().Add(10 * time.Minute)) // 20 min after the fifth failure, 10 after the last
		_, err = f.c.Login(f.ctx, demo.MandataireLogin, demo.MandatairePIN)
		wantCode(t, err, regie.ELockedOut)
		f.clock.Set(f.clock.Peek().Add(16 * time.Minute))
		f.login(demo.MandataireLogin, demo.MandatairePIN)
	})
}

// TestApprove asks for a supervisor's PIN, as the cancel and credit
// screens do.
func TestApprove(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name, login, pin string
		want             regie.ErrorCode
		id               string
	}{
		{"régisseur", demo.RegisseurLogin, demo.RegisseurPIN, "", "a-0001"},
		{"suppléant", demo.SuppleantLogin, demo.SuppleantPIN, "", "a-0002"},
		{"mandataire", demo.MandataireLogin, demo.MandatairePIN, regie.EForbidden, ""},
		{"wrong PIN", demo.RegisseurLogin, demo.SuppleantPIN, regie.EBadCredentials, ""},
		{"unknown login", "inconnu", demo.RegisseurPIN, regie.EBadCredentials, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := f.on(t)
			a, err := f.c.Approve(f.ctx, tc.login, tc.pin)
			if tc.want != "" {
				wantCode(t, err, tc.want)
				if a != nil {
					t.Fatalf("refused approval returned %+v", a.Agent())
				}
				return
			}
			if err != nil || a.Agent().ID != tc.id {
				t.Fatalf("approve: %v %v", a, err)
			}
		})
	}
}
