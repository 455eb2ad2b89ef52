package backoffice

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/store"
	"golang.org/x/crypto/bcrypt"
)

// routePatterns reads every pattern the package registers on its mux
// (mux.Handle and mux.HandleFunc in its source files), so that a route
// added by any area is walked by the CSRF test without being listed. A
// pattern must be a constant string (literals and Prefix): anything else
// fails the test, as it could not be walked.
func routePatterns(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "mux" {
				return true
			}
			p, ok := constString(call.Args[0])
			if !ok {
				t.Errorf("%s: the route's pattern is not a constant string", fset.Position(call.Pos()))
				return true
			}
			out = append(out, p)
			return true
		})
	}
	return out
}

func constString(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.Ident:
		if x.Name == "Prefix" {
			return Prefix, true
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			a, ok1 := constString(x.X)
			b, ok2 := constString(x.Y)
			return a + b, ok1 && ok2
		}
	case *ast.ParenExpr:
		return constString(x.X)
	}
	return "", false
}

// dumpDB is every row of every table, sorted: two dumps are equal when
// nothing was written.
func dumpDB(t *testing.T, st *store.Store) string {
	t.Helper()
	db := st.DB()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var sb strings.Builder
	for _, tb := range tables {
		r, err := db.Query(`SELECT * FROM "` + tb + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := r.Columns()
		var lines []string
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			r.Scan(ptrs...)
			lines = append(lines, fmt.Sprintf("%v", vals))
		}
		r.Close()
		slices.Sort(lines)
		fmt.Fprintf(&sb, "%s\n%s\n", tb, strings.Join(lines, "\n"))
	}
	return sb.String()
}

var wildcardRE = regexp.MustCompile(`\{([a-zA-Z_]+)(\.\.\.)?\}`)

// TestEveryFormNeedsCSRF walks every state-changing route of the mux with
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
	for _, p := range routePatterns(t) {
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
