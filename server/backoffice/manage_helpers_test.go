package backoffice

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// admin is an administrator of every régie with a session already past its
// second factor (sessionFor inserts the session row through the store), so
// that these tests do not depend on how the TOTP step is built.
func (f *fixture) admin() *browser {
	f.t.Helper()
	return f.sessionFor(f.addStaff("adm", "Administratrice", store.Grant{Role: store.RoleAdmin}))
}

// send posts a form with the session's CSRF token and gives the answer's
// status and body.
func (b *browser) send(path string, form url.Values) (*http.Response, string) {
	b.f.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", b.csrf())
	res, err := b.c.PostForm(b.f.srv.URL+path, form)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// regieOf reads a régie's stored settings.
func (f *fixture) regieOf(code string) *regie.Regie {
	f.t.Helper()
	var r *regie.Regie
	if err := f.st.View(context.Background(), func(tx *store.Tx) (err error) { r, err = tx.Regie(code); return err }); err != nil {
		f.t.Fatal(err)
	}
	return r
}

// lastAudit is the newest audit entry, its detail decoded.
func (f *fixture) lastAudit() (store.AuditEntry, map[string]any) {
	f.t.Helper()
	var es []store.AuditEntry
	if err := f.st.View(context.Background(), func(tx *store.Tx) (err error) {
		es, err = tx.AuditEntries(store.AuditFilter{Limit: 1, Org: "ville"})
		return err
	}); err != nil || len(es) == 0 {
		f.t.Fatalf("no audit entry: %v", err)
	}
	detail := map[string]any{}
	if err := json.Unmarshal(es[0].Detail, &detail); err != nil {
		f.t.Fatalf("audit detail %s: %v", es[0].Detail, err)
	}
	return es[0], detail
}

// auditCount is the number of audit entries.
func (f *fixture) auditCount() int {
	f.t.Helper()
	var n int
	if err := f.st.QueryRow(`SELECT count(*) FROM audit`).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// wantAudit checks the newest audit entry's action, régie and target, and
// that its detail has none of the secrets.
func (f *fixture) wantAudit(action, regieCode, target string, secrets ...string) map[string]any {
	f.t.Helper()
	e, detail := f.lastAudit()
	if e.Action != action || e.Regie != regieCode || e.Target != target || e.Staff != "adm" {
		f.t.Errorf("audit: %s %s %s by %s, want %s %s %s by adm", e.Action, e.Regie, e.Target, e.Staff, action, regieCode, target)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(string(e.Detail), s) {
			f.t.Errorf("audit detail of %s holds a secret: %s", action, e.Detail)
		}
	}
	if strings.Contains(string(e.Detail), "$2a$") {
		f.t.Errorf("audit detail of %s holds a hash: %s", action, e.Detail)
	}
	return detail
}

// unchanged runs fn and fails the test if it changed the database.
func (f *fixture) unchanged(what string, fn func()) {
	f.t.Helper()
	before := dumpTables(f.t, f.st)
	fn()
	if dumpTables(f.t, f.st) != before {
		f.t.Errorf("%s changed the database", what)
	}
}
