package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/app/store"
)

// harness is the real window on a real counter file, headless.
type harness struct {
	t   *testing.T
	u   *UI
	w   fyne.Window
	svc *app.Counter
	st  *store.Store
}

func newHarness(t *testing.T) *harness { return newHarnessWith(t, Options{}) }

// newHarnessWith builds the window with options (a terminal, a printer).
func newHarnessWith(t *testing.T, opt Options) *harness {
	t.Helper()
	test.NewTempApp(t)
	clk := apptest.NewClock(time.Date(2026, 11, 27, 9, 0, 0, 0, apptest.Paris))
	svc, st := apptest.Counter(t, "", app.WithClock(clk.Now), app.WithLocation(apptest.Paris))
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1366, 768))
	t.Cleanup(w.Close)
	u := New(w, svc, opt)
	u.Start()
	return &harness{t: t, u: u, w: w, svc: svc, st: st}
}

// key presses a key where the focus is, as the agent's keyboard does.
func (h *harness) key(name fyne.KeyName) {
	h.t.Helper()
	f := h.w.Canvas().Focused()
	if f == nil {
		h.w.Canvas().(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()(&fyne.KeyEvent{Name: name})
		return
	}
	f.TypedKey(&fyne.KeyEvent{Name: name})
}

// fill replaces an entry's text by typing it, and leaves the focus there.
func (h *harness) fill(e *keyEntry, text string) {
	h.t.Helper()
	h.w.Canvas().Focus(e)
	e.SetText("")
	test.Type(e, text)
}

// login logs in through the login screen, pressing Enter in the PIN.
func (h *harness) login(id, pin string) {
	h.t.Helper()
	h.fill(h.u.login.id, id)
	h.key(fyne.KeyReturn)
	if h.w.Canvas().Focused() != h.u.login.pin {
		h.t.Fatal("Enter in the login did not move to the PIN")
	}
	test.Type(h.u.login.pin, pin)
	h.key(fyne.KeyReturn)
}

// shows asserts that a message is visible and says want.
func shows(t *testing.T, m message, want string) {
	t.Helper()
	if !m.Visible() || !strings.Contains(m.Text, want) {
		t.Fatalf("message %q (visible %v), want %q", m.Text, m.Visible(), want)
	}
}
