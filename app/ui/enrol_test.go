package ui

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	appstore "github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/client"
)

// clientSyncer is the sync client behind the status bar, as regie-caisse
// wires it.
type clientSyncer struct{ *client.Client }

func (s clientSyncer) State() SyncState {
	st := s.Client.State()
	return SyncState{Configured: st.Configured, Online: st.Online, Pending: st.Pending, LastSuccess: st.LastSuccess, LastError: st.LastError}
}

// TestEnrolThenSync sets up a new counter from the window: its first screen
// asks the server and the one-time code; once enrolled the régie's agents
// log in, a payment is cashed, and "Synchroniser" brings it to the server.
func TestEnrolThenSync(t *testing.T) {
	ctx := context.Background()
	srv, err := store.Open(ctx, filepath.Join(t.TempDir(), "serveur.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	servertest.Seed(t, srv)
	code := servertest.AddCounter(t, srv, "C07")
	hs := httptest.NewServer(api.New(srv, api.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(hs.Close)

	test.NewTempApp(t)
	st, err := appstore.Open(ctx, filepath.Join(t.TempDir(), "caisse.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := apptest.NewClock(time.Date(2026, 11, 27, 9, 0, 0, 0, apptest.Paris))
	svc := app.New(app.Adapt(st), app.WithClock(clk.Now), app.WithLocation(apptest.Paris))
	sc := client.New(svc, client.Options{})
	// go holds the enrolment until the key press that started it is over:
	// the test driver runs fyne.Do at once, on the calling goroutine.
	goOn := make(chan struct{})
	enrol := func(ctx context.Context, server, code string) error {
		<-goOn
		if _, err := sc.Enrol(ctx, server, code); err != nil {
			return err
		}
		return sc.Sync(ctx)
	}
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1366, 768))
	t.Cleanup(w.Close)
	u := New(w, svc, Options{Sync: clientSyncer{sc}, Enrol: enrol})
	u.Start()
	h := &harness{t: t, u: u, w: w, svc: svc, st: st}

	if u.login != nil {
		t.Fatal("a counter bound to no régie showed the login")
	}
	s := u.enrol
	if s == nil {
		t.Fatal("no enrolment screen")
	}
	h.fill(s.server, hs.URL)
	h.fill(s.code, "XXXX-XXXX-XXXX-XXXX")
	h.key(fyne.KeyReturn)
	goOn <- struct{}{}
	u.Wait()
	if !s.msg.Visible() || s.msg.Importance != widget.DangerImportance || s.msg.Text == "" {
		t.Fatalf("a wrong code says %q", s.msg.Text)
	}
	if u.login != nil {
		t.Fatal("a wrong code enrolled the counter")
	}
	h.fill(s.code, code)
	h.key(fyne.KeyReturn)
	goOn <- struct{}{}
	u.Wait()
	if u.login == nil {
		t.Fatalf("enrolment did not lead to the login: %s", s.msg.Text)
	}
	if !strings.Contains(u.login.title.Text, "Guichet C07") {
		t.Fatalf("login title %q", u.login.title.Text)
	}

	c := h.openTill("sbernard", "3456")
	h.payCheque(c, "lefe", "0001111")
	if err := sc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	u.status.refresh()
	if got := u.status.sync.Text; !strings.Contains(got, "Synchro : en ligne") || strings.Contains(got, "en attente") {
		t.Fatalf("status after sync: %q", got)
	}
	err = srv.View(ctx, func(tx *store.Tx) error {
		inv, err := tx.Invoice("i-0001-1")
		if err == nil && (inv == nil || inv.Paid != 61_60) {
			t.Errorf("the server sees invoice i-0001-1 as %+v", inv)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
