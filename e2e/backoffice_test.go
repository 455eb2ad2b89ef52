package e2e

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/regie-fr/regie/server/backoffice"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// TestBackofficeInBrowser crawls the back-office in Debian's Chromium as
// the demo régie's régisseur, the finance department and an administrator,
// over a server holding two régies and four counters' journals (see
// world): every page reachable from the dashboard is checked by axe-core
// at 375 and 1280 px (backoffice.mjs says what else), every PDF and CSV it
// links to is fetched and checked. The régisseur of ENF must never read a
// word of the other régie, on any page or download. Pages still being
// built (the search, a payment's detail, the second factor) are logged as
// missing, not failed; the login, the dashboard and its menu must be there.
// REGIE_BACKOFFICE_SCREENSHOTS=DIR keeps the screenshots (make screenshots).
//
// The administrator's login needs a TOTP code: rather than depend on that
// flow, the test opens the administrator's session in the database (a
// staff_sessions row past its second factor, as the code page would leave
// it) and hands its cookie to the browser. The others log in through the
// password form.
func TestBackofficeInBrowser(t *testing.T) {
	needBrowser(t)
	ctx := context.Background()
	srv, err := store.Open(ctx, storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	world(t, srv)

	mux := http.NewServeMux()
	web := httptest.NewServer(mux)
	t.Cleanup(web.Close)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	bh, err := backoffice.New(backoffice.Config{PublicURL: web.URL, City: "Ville de Montaigu-sur-Loire",
		InsecureCookies: true, PasswordCost: bcrypt.MinCost, Logger: quiet}, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle(backoffice.Prefix+"/", bh)

	type role struct {
		Name         string            `json:"name"`
		Login        string            `json:"login,omitempty"`
		Password     string            `json:"password,omitempty"`
		Cookie       map[string]string `json:"cookie,omitempty"`
		Search       bool              `json:"search"`
		SecondFactor bool              `json:"secondFactor,omitempty"`
	}
	roles := []role{
		// finance first: its screenshots show every régie.
		{Name: "finances", Login: "finances", Password: "finances-demo", Search: true},
		{Name: "regisseur", Login: "mdupont", Password: "regisseur-demo", Search: true},
		{Name: "admin", Login: "admin", Password: "admin-demo", SecondFactor: true,
			Cookie: map[string]string{"name": "regie_gestion", "value": adminSession(t, srv, "s-0004")}},
	}
	rolesJSON, _ := json.Marshal(roles)

	shots := os.Getenv("REGIE_BACKOFFICE_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if shots, err = filepath.Abs(shots); err != nil {
		t.Fatal(err)
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	cmdCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cmdCtx, "node", "backoffice.mjs", web.URL, shots, t.TempDir(), string(rolesJSON))
	out, err := cmd.CombinedOutput()
	res := readCrawl(t, out)
	if err != nil {
		t.Errorf("the browser test failed: %v", err)
	}
	if res.pages["visiteur"] < 2 {
		t.Errorf("the login page was not checked")
	}
	for _, r := range roles {
		if res.pages[r.Name] < 2 {
			t.Errorf("%s: %d pages checked: the dashboard and the error page at least", r.Name, res.pages[r.Name])
		}
	}
	if len(res.missing) > 0 {
		t.Logf("pages not there yet (built by other parts of the back-office):\n  %s", strings.Join(res.missing, "\n  "))
	}
	scoped(t, res)
}

// crawl is what backoffice.mjs reported.
type crawl struct {
	pages   map[string]int      // checked pages (at both widths) per role
	texts   map[string][]string // per role, "url\ttext" of every page and download it read
	missing []string
}

// readCrawl reads the browser's JSON lines; every failure it reports fails
// the test, with the page and the rule.
func readCrawl(t *testing.T, out []byte) *crawl {
	t.Helper()
	res := &crawl{pages: map[string]int{}, texts: map[string][]string{}}
	var log strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r struct {
			Role, Visited, Text, Error, Missing, Note, Shot string
			Download, File, Type                            string
			Status, Bytes, Ms, Load                         int
		}
		if json.Unmarshal([]byte(line), &r) != nil {
			log.WriteString(line + "\n")
			continue
		}
		switch {
		case r.Error != "":
			t.Errorf("browser: %s", r.Error)
		case r.Missing != "":
			res.missing = append(res.missing, r.Missing)
		case r.Visited != "":
			res.pages[r.Role]++
			res.texts[r.Role] = append(res.texts[r.Role], r.Visited+"\t"+r.Text)
			fmt.Fprintf(&log, "%s %s %d (%d ms, %d loading)\n", r.Role, r.Visited, r.Status, r.Ms, r.Load)
		case r.Download != "":
			res.texts[r.Role] = append(res.texts[r.Role], r.Download+"\t"+downloadText(t, r.File, r.Type))
			fmt.Fprintf(&log, "%s %s %d %s (%d bytes)\n", r.Role, r.Download, r.Status, r.Type, r.Bytes)
		default:
			if r.Text == "" {
				log.WriteString(line + "\n")
			}
		}
	}
	t.Logf("browser:\n%s", log.String())
	return res
}

// downloadText is a download's text: a CSV as is, a PDF through pdftotext.
func downloadText(t *testing.T, file, typ string) string {
	t.Helper()
	if typ == "application/pdf" {
		txt, err := exec.Command("pdftotext", "-layout", file, "-").Output()
		if err != nil {
			t.Errorf("pdftotext %s: %v", file, err)
		}
		return string(txt)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Error(err)
	}
	return string(b)
}

// otherWords are what of the other régie a page may name: its code, name,
// counters' codes and names, and its receipt numbers.
var otherWords = func() *regexp.Regexp {
	words := []string{`\b` + otherRegie + `\b`, regexp.QuoteMeta(otherRegieName), `Ondines`}
	for _, c := range otherCounters {
		words = append(words, `\b`+c.Code+`\b`, regexp.QuoteMeta(c.Name))
	}
	return regexp.MustCompile(strings.Join(words, "|"))
}()

// scoped checks that the demo régie's régisseur read nothing of the other
// régie, and that the finance department, who sees every régie, did: the
// words looked for are the ones pages show.
func scoped(t *testing.T, res *crawl) {
	t.Helper()
	for _, page := range res.texts["regisseur"] {
		if w := otherWords.FindString(page); w != "" {
			url, _, _ := strings.Cut(page, "\t")
			t.Errorf("the régisseur of ENF reads %q of régie %s on %s", w, otherRegie, url)
		}
	}
	for _, page := range res.texts["finances"] {
		if otherWords.MatchString(page) {
			return
		}
	}
	t.Errorf("no page of the finance department names régie %s: the scoping check looks for words no page shows", otherRegie)
}

// adminSession opens a session of the staff account in the database, past
// its second factor, as the TOTP code page leaves it, and gives its cookie.
func adminSession(t *testing.T, srv *store.Store, staffID string) string {
	t.Helper()
	token, csrf := random(), random()
	now := time.Now()
	s := &store.StaffSession{IDHash: store.SessionHash(token), StaffID: staffID, CSRF: csrf, SecondFactor: true,
		Created: now, Seen: now}
	if err := srv.Update(context.Background(), func(tx *store.Tx) error { return tx.StartStaffSession(s) }); err != nil {
		t.Fatal(err)
	}
	return token
}

// random is 256 random bits, URL-safe, like the back-office's tokens.
func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// needBrowser fails the test when what it needs is missing: make deps
// installs Chromium, node and e2e/node_modules.
func needBrowser(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"node", "/usr/bin/chromium", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: make deps installs it (%v)", tool, err)
		}
	}
	for _, mod := range []string{"playwright-core", "axe-core"} {
		if _, err := os.Stat(filepath.Join("node_modules", mod)); err != nil {
			t.Fatalf("e2e/node_modules/%s is missing: make deps runs npm ci in e2e/", mod)
		}
	}
}
