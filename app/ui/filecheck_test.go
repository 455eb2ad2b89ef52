package ui

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/app/store"
)

// TestLoginSaysTheFileIsAltered starts the window on a counter file
// altered behind its back: the login screen says so at once, in French,
// and logging in is refused.
func TestLoginSaysTheFileIsAltered(t *testing.T) {
	test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), "caisse.db")
	clk := apptest.NewClock(time.Date(2026, 11, 27, 9, 0, 0, 0, apptest.Paris))
	c, st := apptest.Counter(t, path, app.WithClock(clk.Now), app.WithLocation(apptest.Paris))
	reg := apptest.Login(t, c, demo.RegisseurLogin, demo.RegisseurPIN)
	apptest.Open(t, c, reg, 100_00)
	st.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO closings SELECT 'forged', seq, day, 0, 0 FROM sessions`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	st, err = store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c = app.New(app.Adapt(st), app.WithClock(clk.Now), app.WithLocation(apptest.Paris), app.WithFileCheck(st.VerifyAtStart))
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1366, 768))
	defer w.Close()
	u := New(w, c, Options{})
	u.Start()
	shows(t, u.login.err, "appelez le régisseur")
	h := &harness{t: t, u: u, w: w, svc: c, st: st}
	h.login(demo.RegisseurLogin, demo.RegisseurPIN)
	shows(t, u.login.err, "ne correspond plus à son journal")
	if u.auth != nil {
		t.Fatal("logged in on an altered file")
	}
}
