package backoffice

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/store"
	"golang.org/x/crypto/bcrypt"
)

// dumpDB is every row of every table, the sessions included (a forged
// logout would end one): two dumps are equal when nothing was written.
func dumpDB(t *testing.T, st *store.Store) string {
	t.Helper()
	var sb strings.Builder
	sb.WriteString(dumpTables(t, st))
	rows, err := st.Query(`SELECT id_hash, staff_id, csrf, second_factor, id_token, created_at, seen_at FROM staff_sessions ORDER BY id_hash`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b, c, e, f, g string
		var d bool
		rows.Scan(&a, &b, &c, &d, &e, &f, &g)
		fmt.Fprintln(&sb, a, b, c, d, e, f, g)
	}
	return sb.String()
}

var wildcardRE = regexp.MustCompile(`\{([a-zA-Z_]+)(\.\.\.)?\}`)

// TestEveryFormNeedsCSRF walks every state-changing route (declaredRoutes
// reads them from routes*.go, so a new one is walked without being listed) with
// a session that holds every role (so that no permission refuses first):
// without the token, with a forged one, and with the right token from
// another site, each is refused with 403 and the database is unchanged.
// The password login, which has no session yet, is refused from another
// site.
func TestEveryFormNeedsCSRF(t *testing.T) {
	e := newAuthEnv(t, nil)
	admin, _ := e.adminWithTOTP("tout")
	s := e.staff("tout")
	s.Grants = append(s.Grants, store.Grant{Role: store.RoleFinance}, store.Grant{Role: store.RoleRegisseur, Regie: "ENF"},
		store.Grant{Role: store.RoleRegisseur, Regie: "PIS"})
	if err := e.st.Update(context.Background(), func(tx *store.Tx) error { return tx.SaveStaff(s, e.clock.Now()) }); err != nil {
		t.Fatal(err)
	}
	token := admin.csrf()
	bo, err := newBackoffice(Config{InsecureCookies: true, PasswordCost: bcrypt.MinCost}, e.st, nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := bo.routes()
	values := map[string]string{"id": "s-pisreg", "regie": "PIS", "code": "C01"}
	walked := 0
	for _, route := range declaredRoutes(t) {
		p := route.pattern
		method, path, hasMethod := strings.Cut(p, " ")
		if !hasMethod {
			method, path = "", p
		}
		if method == http.MethodGet || method == http.MethodHead {
			continue
		}
		path = wildcardRE.ReplaceAllStringFunc(path, func(w string) string {
			if v, ok := values[wildcardRE.FindStringSubmatch(w)[1]]; ok {
				return v
			}
			return "1"
		})
		if method == "" {
			method = http.MethodPost
		}
		req, _ := http.NewRequest(method, e.srv.URL+path, nil)
		if _, got := mux.Handler(req); got != p {
			t.Errorf("%s: the mux routes %s to %q", p, path, got)
			continue
		}
		walked++
		cases := []struct {
			name   string
			form   url.Values
			origin string
		}{{"sans jeton", url.Values{}, ""}, {"jeton forgé", url.Values{"csrf": {"forged"}}, ""},
			{"autre site", url.Values{"csrf": {token}}, "http://evil.example"}}
		if p == "POST "+Prefix+"/connexion" {
			cases = cases[2:]
			cases[0].form = url.Values{"login": {"tout"}, "password": {"tout-pass"}}
		}
		for _, c := range cases {
			before := dumpDB(t, e.st)
			req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(c.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if c.origin != "" {
				req.Header.Set("Origin", c.origin)
				req.Header.Set("Sec-Fetch-Site", "cross-site")
			}
			res, err := admin.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s (%s): status %d, want 403", method, path, c.name, res.StatusCode)
			}
			if dumpDB(t, e.st) != before {
				t.Errorf("%s %s (%s) wrote to the database", method, path, c.name)
			}
		}
	}
	if walked < 15 {
		t.Fatalf("only %d state-changing routes found", walked)
	}
	// The session is still there and good: the refusals were the token's.
	if res := admin.postForm("/gestion/comptes/s-pisreg/debloquer", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the same form with its token: %d", res.StatusCode)
	}
}
