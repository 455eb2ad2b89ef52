package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	appdemo "github.com/regie-fr/regie/app/demo"
	appstore "github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/demoserver"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/client"
)

// lockedBuffer is the server's stderr, written by its goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// person is a browser with its own cookies, redirects not followed.
type person struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newPerson(t *testing.T, base string) *person {
	jar, _ := cookiejar.New(nil)
	return &person{t: t, base: base, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (p *person) do(method, u string, form url.Values) (*http.Response, string) {
	p.t.Helper()
	if strings.HasPrefix(u, "/") {
		u = p.base + u
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		p.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", p.base)
	}
	resp, err := p.c.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (p *person) get(u string) (*http.Response, string) { return p.do(http.MethodGet, u, nil) }

// csrf reads the CSRF token of a page's forms.
func (p *person) csrf(page string) string {
	p.t.Helper()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		p.t.Fatalf("no csrf field in %s", page)
	}
	return m[1]
}

// citizenLogin goes through the portal's FranceConnect button and the demo
// provider, as the subject, and lands on the portal.
func (p *person) citizenLogin(subject string) {
	p.t.Helper()
	r, _ := p.get("/connexion/franceconnect")
	cb, _ := p.get(r.Header.Get("Location") + "&login_hint=" + url.QueryEscape(subject))
	if r, body := p.get(cb.Header.Get("Location")); r.StatusCode != http.StatusSeeOther {
		p.t.Fatalf("login %s: %d %s", subject, r.StatusCode, body)
	}
}

// freeAddr is a loopback address no one listens on, for a server whose
// public URL must be known before it starts.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestNoPersonalDataInLogs runs the demo server as `demo` does — the real
// wiring of serve, with its logger — and plays a day on it: a counter
// enrols and cashes an invoice, a citizen logs in through FranceConnect,
// links the household with the access code, lists the payments and
// downloads a receipt and the attestation; another fails to link with the
// same code, then with a wrong one; a régisseur logs in to the back-office
// and searches the household by name. Then no household member's name or
// birth date, no access code, no linking slip code and no e-mail address
// of the demo may appear in what the server logged.
func TestNoPersonalDataInLogs(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	dir := t.TempDir()
	db := filepath.Join(dir, "serveur.db")
	enrol, slip, err := demoDatabase(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	idp, err := auth.NewDevProvider("portail-demo", "secret-demo", demoCitizens)
	if err != nil {
		t.Fatal(err)
	}
	idpSrv := httptest.NewServer(idp)
	defer idpSrv.Close()
	idp.SetIssuer(idpSrv.URL)
	addr := freeAddr(t)
	base := "http://" + addr
	idp.RedirectURIs = []string{base + "/connexion/retour", base + "/deconnexion/fin"}
	logs := &lockedBuffer{}
	ready := make(chan string, 1)
	exited := make(chan int, 1)
	cfg := &config{Addr: addr, DB: db, LogFormat: "text", BaseURL: base, City: "Ville de Montaigu-sur-Loire",
		OIDCIssuer: idp.Issuer(), OIDCClientID: "portail-demo", OIDCClientSecret: "secret-demo", InsecureCookies: "1"}
	go func() { exited <- serveWith(ctx, cfg, env{ready: ready}, logs) }()
	select {
	case <-ready:
	case code := <-exited:
		t.Fatalf("serve exited %d: %s", code, logs)
	}

	// A counter enrols with C01's code and cashes the Lefèvre household's
	// canteen invoice, naming the payer.
	counterCashes(t, base, enrol, filepath.Join(dir, "C01.db"))

	// Hélène logs in, links with the access code, reads and downloads.
	h := newPerson(t, base)
	h.citizenLogin("fc-hlefevre")
	_, page := h.get("/foyers")
	if r, body := h.do(http.MethodPost, "/foyers/lier", url.Values{"csrf": {h.csrf(page)}, "code": {"K7Q101X"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("link: %d %s", r.StatusCode, body)
	}
	_, page = h.get("/paiements")
	receipt := regexp.MustCompile(`/paiements/[^/"]+/recu\.pdf`).FindString(page)
	year := strconv.Itoa(time.Now().Year())
	for _, u := range []string{receipt, "/attestations", "/attestations/" + year + ".pdf", "/factures", "/services",
		"/paiements/inconnu/recu.pdf", "/factures/i-0002-1", "/confidentialite"} {
		if r, _ := h.get(u); r.StatusCode != http.StatusOK && r.StatusCode != http.StatusNotFound {
			t.Fatalf("%s: %d", u, r.StatusCode)
		}
	}
	if r, body := h.get("/attestations/" + year + ".pdf"); r.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("attestation: %d", r.StatusCode)
	}

	// Julien, not registered on the household, is refused the code, then
	// types a wrong one, then links with the slip.
	j := newPerson(t, base)
	j.citizenLogin("fc-jlefevre")
	for _, form := range []url.Values{{"code": {"K7Q101X"}}, {"code": {"K7Q999X"}}, {"liaison": {slip}}} {
		_, page := j.get("/foyers")
		form.Set("csrf", j.csrf(page))
		j.do(http.MethodPost, "/foyers/lier", form)
	}

	// The régisseur logs in to the back-office and searches by name.
	m := newPerson(t, base)
	m.get("/gestion/connexion")
	if r, body := m.do(http.MethodPost, "/gestion/connexion", url.Values{"login": {"mdupont"},
		"password": {"regisseur-demo"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("back-office login: %d %s", r.StatusCode, body)
	}
	if r, body := m.get("/gestion/paiements?nom=" + url.QueryEscape("Lefèvre")); r.StatusCode != http.StatusOK || !strings.Contains(body, "R-ENF-C01-") {
		t.Fatalf("search: %d", r.StatusCode)
	}
	m.get("/gestion/paiements?compte=F001001&montant=abc")
	// Someone types a citizen's e-mail address as a login, and an access
	// code as a password.
	newPerson(t, base).do(http.MethodPost, "/gestion/connexion", url.Values{"login": {"helene.lefevre@example.fr"}, "password": {"K7Q101X"}})

	stop()
	<-exited
	logged := logs.String()
	if !strings.Contains(logged, "serving") {
		t.Fatalf("nothing logged: %s", logged)
	}
	for _, s := range personalData(slip) {
		if containsWord(logged, s) {
			t.Errorf("the logs hold %q:\n%s", s, logged)
		}
	}
}

// counterCashes enrols a counter file, syncs, cashes the Lefèvre
// household's first invoice in cash for a named payer and syncs again.
func counterCashes(t *testing.T, server, enrol, path string) {
	t.Helper()
	ctx := context.Background()
	st, err := appstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := app.New(app.Adapt(st))
	sc := client.New(c, client.Options{})
	if _, err := sc.Enrol(ctx, server, enrol); err != nil {
		t.Fatal(err)
	}
	if err := sc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := c.Login(ctx, appdemo.RegisseurLogin, appdemo.RegisseurPIN)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.OpenSession(ctx, a, nil, 150_00); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RecordPayment(ctx, a, app.PaymentRequest{HouseholdID: "h-0001", Payer: "Lefèvre Hélène",
		Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: 61_60, Tendered: 70_00, Change: 8_40}},
		Allocations: []regie.Allocation{{InvoiceID: "i-0001-1", Amount: 61_60}}}); err != nil {
		t.Fatal(err)
	}
	if err := sc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
}

// personalData is every name, birth date, access code and e-mail address
// of the demo's households and citizens, and the linking slip's code.
func personalData(slip string) []string {
	out := []string{slip}
	for _, h := range appdemo.Reference().Households {
		out = append(out, h.Name, h.AccessCode, h.Address)
		for _, m := range h.Members {
			out = append(out, m.FirstName, m.LastName, m.BirthDate, birthFR(m.BirthDate))
		}
	}
	for _, u := range demoCitizens {
		out = append(out, u.GivenName, u.FamilyName, u.BirthDate, birthFR(u.BirthDate), u.Email)
	}
	for _, u := range demoserver.DemoAgents {
		out = append(out, u.Email)
	}
	return out
}

// birthFR is a YYYY-MM-DD date written the French way.
func birthFR(d string) string {
	if t, err := time.Parse(time.DateOnly, d); err == nil {
		return t.Format("02/01/2006")
	}
	return d
}

// containsWord finds s in the logs as a whole word, case, accents and
// escaping ignored, so "Lefèvre" is found as "lefevre" or "Lef\u00e8vre"
// but not inside a pseudonymous subject such as "fc-hlefevre".
func containsWord(logs, s string) bool {
	fold := regie.FoldName
	hay := fold(unescape(logs))
	return regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(fold(s)) + `($|[^\pL\pN])`).MatchString(hay)
}

// unescape undoes the \uXXXX and \xXX escapes a log handler may write.
func unescape(s string) string {
	return regexp.MustCompile(`\\u[0-9a-fA-F]{4}`).ReplaceAllStringFunc(s, func(m string) string {
		if n, err := strconv.ParseUint(m[2:], 16, 32); err == nil {
			return string(rune(n))
		}
		return m
	})
}

// TestVerifyLogsNoRows: when the periodic check finds a table that
// differs from the journal, the log says where and how many, not the
// rows' values (here a payer's name written into the payments table).
func TestVerifyLogsNoRows(t *testing.T) {
	_, db := verifyFixture(t, 20_00, true)
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	for _, q := range []string{`DROP TRIGGER payments_no_update`, `UPDATE payments SET payer = 'Lefèvre Hélène' WHERE id = 'P1'`} {
		if _, err := sqldb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reports, err := st.Verify(context.Background())
	if err != nil || len(reports) != 1 || !strings.Contains(reports[0].String(), "Lefèvre Hélène") {
		t.Fatalf("the report should quote the row: %v %v", reports, err)
	}
	logs := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		verifyLoop(ctx, st, 0, time.Hour, slog.New(slog.NewTextHandler(logs, nil)))
		close(done)
	}()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && !strings.Contains(logs.String(), "periodic verify"); {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	got := logs.String()
	if !strings.Contains(got, `msg="journal broken or with problems" regie=ENF counter=C01 entries=2 problems=1 kinds=projection@0`) {
		t.Fatalf("log: %s", got)
	}
	if containsWord(got, "Lefèvre") || containsWord(got, "Hélène") {
		t.Fatalf("the log quotes the row: %s", got)
	}
}
