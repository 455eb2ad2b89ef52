package backoffice

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/store"
)

// declaredRoute is a route as routes_*.go register it: its pattern, and
// the permission its wrapper (b.page or b.form) asks, or none.
type declaredRoute struct {
	pattern string
	perm    string // "PermView"…, "" when the handler is not wrapped
	form    bool
}

// publicRoutes need no session: the login steps and the style sheet.
var publicRoutes = regexp.MustCompile(`^(GET|POST) /gestion/(connexion(/.*)?|deconnexion(/.*)?|static/)$`)

// declaredRoutes reads every mux.HandleFunc/Handle call of the package's
// routes_*.go and the wrapper around its handler: the authorisation matrix
// is then checked on every route the code has, not on a list kept by hand.
func declaredRoutes(t *testing.T) []declaredRoute {
	t.Helper()
	files, err := filepath.Glob("routes*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no routes files: %v", err)
	}
	var out []declaredRoute
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle") {
				return true
			}
			r := declaredRoute{pattern: patternOf(t, call.Args[0])}
			if inner, ok := call.Args[1].(*ast.CallExpr); ok {
				if s, ok := inner.Fun.(*ast.SelectorExpr); ok && (s.Sel.Name == "own" || s.Sel.Name == "ownForm") && len(inner.Args) == 1 {
					// The account's own pages: any logged-in staff member.
					r.perm, r.form = "own", s.Sel.Name == "ownForm"
				}
				if s, ok := inner.Fun.(*ast.SelectorExpr); ok && (s.Sel.Name == "page" || s.Sel.Name == "form") && len(inner.Args) == 2 {
					if id, ok := inner.Args[0].(*ast.Ident); ok {
						r.perm, r.form = id.Name, s.Sel.Name == "form"
					}
				}
			}
			out = append(out, r)
			return true
		})
	}
	return out
}

// patternOf evaluates `"GET "+Prefix+"/x"`.
func patternOf(t *testing.T, e ast.Expr) string {
	switch x := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(x.Value)
		if err != nil {
			t.Fatal(err)
		}
		return s
	case *ast.Ident:
		if x.Name == "Prefix" {
			return Prefix
		}
	case *ast.BinaryExpr:
		return patternOf(t, x.X) + patternOf(t, x.Y)
	}
	t.Fatalf("route pattern not a constant expression: %T", e)
	return ""
}

var permByName = map[string]Perm{"PermView": PermView, "PermExport": PermExport, "PermAct": PermAct,
	"PermOps": PermOps, "PermAdmin": PermAdmin, "PermAudit": PermAudit}

// samplePath fills a pattern's wildcards.
func samplePath(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.TrimSuffix(path, "{$}")
	path = regexp.MustCompile(`\{[^}]+\.\.\.\}`).ReplaceAllString(path, "x")
	path = regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(path, "x")
	return method, path
}

// sessionFor logs an account in without the login form (and past any
// second factor): the matrix is about what a session may reach.
func (f *fixture) sessionFor(s *store.Staff) *browser {
	f.t.Helper()
	token := randomToken()
	now := time.Now()
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		if needsSecondFactor(s) && s.TOTPSecret == "" {
			// An administrator has a second factor set up, or gets no
			// further than its set-up page.
			s.TOTPSecret = "JBSWY3DPEHPK3PXP"
			if err := tx.SaveStaff(s, now); err != nil {
				return err
			}
		}
		return tx.StartStaffSession(&store.StaffSession{IDHash: store.SessionHash(token), StaffID: s.ID,
			CSRF: randomToken(), SecondFactor: true, Created: now, Seen: now})
	})
	if err != nil {
		f.t.Fatal(err)
	}
	b := f.browser()
	u, _ := url.Parse(f.srv.URL)
	b.c.Jar.(*cookiejar.Jar).SetCookies(u, []*http.Cookie{{Name: "regie_gestion", Value: token, Path: "/"}})
	return b
}

// TestAccessMatrix: every route of the back-office is behind b.page or
// b.form (but the login's), an anonymous visitor is sent to the login page
// (or refused a form), and each role gets 403 on every route whose
// permission it lacks, with nothing written to the database.
func TestAccessMatrix(t *testing.T) {
	f := newFixture(t)
	roles := map[string]*store.Staff{
		store.RoleRegisseur: f.addStaff("reg-enf", "Régisseur ENF", store.Grant{Role: store.RoleRegisseur, Regie: "ENF"}),
		store.RoleSuppleant: f.addStaff("sup-enf", "Suppléant ENF", store.Grant{Role: store.RoleSuppleant, Regie: "ENF"}),
		store.RoleFinance:   f.addStaff("fin-enf", "Finances ENF", store.Grant{Role: store.RoleFinance, Regie: "ENF"}),
		store.RoleAdmin:     f.addStaff("adm", "Administrateur", store.Grant{Role: store.RoleAdmin}),
	}
	// An administrator without a second factor is sent to set one up
	// before any permission is looked at: give this one a secret, so
	// that the matrix checks the role.
	adm := roles[store.RoleAdmin]
	adm.TOTPSecret = "JBSWY3DPEHPK3PXP"
	if err := f.st.Update(context.Background(), func(tx *store.Tx) error { return tx.SaveStaff(adm, time.Now()) }); err != nil {
		t.Fatal(err)
	}
	routes := declaredRoutes(t)
	if len(routes) < 4 {
		t.Fatalf("only %d routes found", len(routes))
	}
	anon := f.browser()
	sessions := map[string]*browser{}
	for role, s := range roles {
		sessions[role] = f.sessionFor(s)
	}
	before := dumpTables(t, f.st)
	for _, r := range routes {
		method, path := samplePath(r.pattern)
		if publicRoutes.MatchString(method + " " + path) {
			continue
		}
		perm, ok := permByName[r.perm]
		if r.perm == "own" {
			ok = true
		}
		if !ok {
			t.Errorf("%s: not behind b.page or b.form with a permission", r.pattern)
			continue
		}
		if (method == http.MethodPost) != r.form {
			t.Errorf("%s: a POST must use b.form, a GET b.page", r.pattern)
		}
		st := anon.do(method, path)
		if method == http.MethodGet && (st != http.StatusSeeOther) || method == http.MethodPost && st != http.StatusForbidden {
			t.Errorf("anonymous %s %s: %d", method, path, st)
		}
		for role, b := range sessions {
			if r.perm == "own" || slices.Contains(rolePerms[role], perm) {
				continue
			}
			if st := b.do(method, path); st != http.StatusForbidden {
				t.Errorf("%s on %s %s (needs %s): %d, want 403", role, method, path, r.perm, st)
			}
		}
	}
	if after := dumpTables(t, f.st); after != before {
		t.Error("refused requests changed the database")
	}
}

// do sends a request with the session's CSRF token on a POST (so that
// only the role is refused), and gives the status.
func (b *browser) do(method, path string) int {
	b.f.t.Helper()
	if method == http.MethodPost {
		form := url.Values{}
		if m := csrfRE.FindStringSubmatch(b.body("/gestion/")); m != nil {
			form.Set("csrf", m[1])
		}
		return b.post(path, form).StatusCode
	}
	res, _ := b.get(path)
	return res.StatusCode
}

func (b *browser) body(path string) string {
	_, s := b.get(path)
	return s
}

// dumpTables is every row of every table but the sessions (which a visit
// touches) as text, to compare before and after.
func dumpTables(t *testing.T, st *store.Store) string {
	t.Helper()
	s, err := st.Dump("staff_sessions")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func toString(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(x)
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return "?"
}
