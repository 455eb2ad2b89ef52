package backoffice

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
	"github.com/regie-fr/regie/sync/protocol"
	"golang.org/x/crypto/bcrypt"
)

// dashFixture is the back-office on the dashboard scenario's server file
// (servertest.DashboardScenario), its clock at the scenario's instant, with
// the sync API on a server of its own over the same file.
type dashFixture struct {
	*fixture
	sc  *servertest.Dashboard
	api *httptest.Server
}

func newDashFixture(t *testing.T) *dashFixture {
	t.Helper()
	st, err := store.Open(context.Background(), storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	servertest.Seed(t, st)
	f := &fixture{t: t, st: st}
	sc := servertest.DashboardScenario(t, st)
	f.addStaff("pisreg", "Régisseur Piscine", store.Grant{Role: store.RoleRegisseur, Regie: "PIS"})
	now := func() time.Time { return sc.Now }
	f.srv = httptest.NewServer(f.handler(now))
	t.Cleanup(f.srv.Close)
	a := httptest.NewServer(api.New(st, api.Options{Now: now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(a.Close)
	return &dashFixture{fixture: f, sc: sc, api: a}
}

func (f *fixture) handler(now func() time.Time) http.Handler {
	h, err := New(Config{InsecureCookies: true, PasswordCost: bcrypt.MinCost, Now: now}, f.st, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return h
}

// sync sends a request of counter ("ENF/G3") to the API with its journal
// head in the header, and gives the status and the refusal's body.
func (f *dashFixture) sync(method, path, counter, head string, body any) (int, protocol.ErrorBody) {
	f.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, f.api.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+f.sc.Credentials[counter])
	req.Header.Set(protocol.HeaderJournalHead, head)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	var eb protocol.ErrorBody
	json.NewDecoder(res.Body).Decode(&eb)
	return res.StatusCode, eb
}

// loginAs opens a session for an account with its second factor given (the
// TOTP login is the login area's, tested there): the administrator must
// have one.
func (f *fixture) loginAs(staffID string, now time.Time) *browser {
	f.t.Helper()
	token := randomToken()
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		return tx.StartStaffSession(&store.StaffSession{IDHash: store.SessionHash(token), StaffID: staffID, CSRF: randomToken(),
			SecondFactor: true, Created: now, Seen: now})
	})
	if err != nil {
		f.t.Fatal(err)
	}
	b := f.browser()
	u, _ := url.Parse(f.srv.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "regie_gestion", Value: token, Path: "/"}})
	return b
}

// esc is s as the page writes it.
func esc(s string) string { return template.HTMLEscapeString(s) }

// dashRow is the table row of one counter.
func dashRow(t *testing.T, body, regieCode, code string) string {
	t.Helper()
	_, row, ok := strings.Cut(body, `<tr id="poste-`+regieCode+`-`+code+`">`)
	if !ok {
		t.Fatalf("no row for %s/%s", regieCode, code)
	}
	row, _, _ = strings.Cut(row, "</tr>")
	return row
}

// inOrder fails unless each string is found after the one before.
func inOrder(t *testing.T, body string, want ...string) {
	t.Helper()
	at, prev := 0, ""
	for _, w := range want {
		i := strings.Index(body[at:], w)
		if i < 0 {
			t.Errorf("%q missing, or not after %q", w, prev)
			return
		}
		at, prev = at+i+len(w), w
	}
}

// TestDashboardPage: the régisseur's dashboard shows every figure of the
// scenario, each checked against what its journals hold — cash over the
// plafond, a cheque held two days, a day not closed, a déficit with its
// comment, a deposit overdue, a push refused through the API with its
// reason, the entries a counter reported it holds and the server lacks,
// the chain verified — with the alerts most urgent first, then oldest; it
// never shows another régie, nor a cheque's drawer.
func TestDashboardPage(t *testing.T) {
	f := newDashFixture(t)
	ctx := context.Background()
	if status, body := f.sync("POST", protocol.PathPush, "ENF/G3", "4", protocol.PushRequest{Counter: "G3",
		Entries: protocol.EntriesToWire(f.sc.Late)}); status != http.StatusUnprocessableEntity || body.Code != string(regie.EDayClosed) {
		t.Fatalf("late push: %d %+v", status, body)
	}
	if status, _ := f.sync("GET", protocol.PathPull+"?cursor=", "ENF/G2", "6", nil); status != http.StatusOK {
		t.Fatalf("pull: %d", status)
	}
	if _, err := f.st.VerifyAndRecord(ctx, func() time.Time { return f.sc.Now.Add(-time.Minute) }); err != nil {
		t.Fatal(err)
	}
	res, body := f.login("mdupont", "regisseur-demo").get("/gestion/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", res.StatusCode)
	}
	m := func(c regie.Money) string { return c.String() }
	inOrder(t, body,
		esc("Versement en retard : rien n'a été versé depuis le 02/11/2026 (18 jours, pour 7 au plus)."),
		esc("Encaisse de "+m(3_353_00)+" au-dessus du plafond d'encaisse de "+m(3_000_00)),
		esc("Synchronisation refusée à l'entrée n° 4 : Entrée n° 4 refusée : La journée du 2026-11-19 est déjà clôturée"),
		esc("Écart à la clôture du 16/11/2026 : déficit de "+m(2_00)+"."),
		esc("1 chèque(s) pour "+m(45_00)+" en caisse depuis plus d'un jour (le plus ancien du 18/11/2026)"),
		esc("Journée du 19/11/2026 non clôturée."),
		esc("2 entrée(s) enregistrée(s) au poste pas encore reçues par le serveur."),
		// G3's refused push said its journal goes to 4: one entry the server lacks.
		"poste G3</span>\n<span class=\"dash-message\">1 entrée(s) enregistrée(s) au poste pas encore reçues",
		`id="regie-ENF"`)
	contains(t, body, "3 critique(s), 3 importante(s), 2 pour information",
		// An alert that began on a day is dated by the day, one that began at an instant by the instant.
		esc("Journée du 19/11/2026 non clôturée.")+"</span>\n<span class=\"muted\">Depuis le 19/11/2026</span>",
		"reçues par le serveur.</span>\n<span class=\"muted\">Depuis le 20/11/2026 à 10:00</span>",
		// When the plafond was passed is not known: no date.
		esc("un versement au comptable s'impose.")+"</span>\n\n</li>")
	g1 := dashRow(t, body, "ENF", "G1")
	contains(t, g1, m(3_450_00), m(3_345_00), "1 chèque(s), "+m(45_00), "1 depuis plus d'un jour", "19/11/2026",
		"en retard (18 jours)", "En attente : inconnu", "vérifiée (18 entrées)", "<td>aucun</td>")
	g2 := dashRow(t, body, "ENF", "G2")
	contains(t, g2, m(158_00), "16/11/2026 : déficit de "+m(2_00)+". <q>"+esc(servertest.DashboardComment)+"</q>",
		"En attente : 2 entrée(s)", "dernier contact le 20/11/2026 à 10:00")
	g3 := dashRow(t, body, "ENF", "G3")
	contains(t, g3, "entrée n° 4 [day_closed]", "poste bloqué", "vérifiée (3 entrées)", "En attente : 1 entrée(s)")
	for _, other := range []string{"Jeanne Citoyenne", "Régie Piscine", "PIS", "P1"} {
		if strings.Contains(body, other) {
			t.Errorf("the régisseur of ENF sees %q", other)
		}
	}

	// The régisseur of PIS sees PIS only.
	_, body = f.login("pisreg", "pisreg-pass").get("/gestion/")
	contains(t, body, `id="regie-PIS"`, esc("Journée du 18/11/2026 non clôturée."), m(180_00))
	for _, other := range []string{"Régie Enfance", "ENF", "G1", "G2", "G3", esc(servertest.DashboardComment)} {
		if strings.Contains(body, other) {
			t.Errorf("the régisseur of PIS sees %q", other)
		}
	}

	// The administrator sees every régie's figures, not the comments
	// (free text that may name a citizen); finance sees them.
	_, body = f.loginAs("s-0004", f.sc.Now).get("/gestion/")
	contains(t, body, `id="regie-ENF"`, `id="regie-PIS"`, "déficit de "+m(2_00))
	if strings.Contains(body, esc(servertest.DashboardComment)) || strings.Contains(body, "Jeanne Citoyenne") {
		t.Error("the administrator sees a closing comment or a drawer")
	}
	_, body = f.login("finances", "finances-demo").get("/gestion/")
	contains(t, body, `id="regie-ENF"`, `id="regie-PIS"`, esc(servertest.DashboardComment))
}

// TestDashboardBrokenChainPage: on a copy of the server file whose journal
// was edited through SQL, the verification the server runs finds the chain
// broken, and the dashboard says where, first among the alerts of its
// level's age.
func TestDashboardBrokenChainPage(t *testing.T) {
	storetest.SQLiteOnly(t, "a copy of the file made with VACUUM INTO and edited with the triggers dropped")
	f := newDashFixture(t)
	ctx := context.Background()
	copyPath := filepath.Join(t.TempDir(), "copie.db")
	if _, err := f.st.Exec(`VACUUM INTO ?`, copyPath); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", copyPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER journal_no_update`,
		`UPDATE journal SET data = replace(data, '1200', '1300') WHERE seq = 2 AND counter_id = (SELECT id FROM counters WHERE code = 'G3')`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()
	cp, err := store.Open(ctx, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if _, err := cp.VerifyAndRecord(ctx, func() time.Time { return f.sc.Now }); err != nil {
		t.Fatal(err)
	}
	g := &fixture{t: t, st: cp}
	g.srv = httptest.NewServer(g.handler(func() time.Time { return f.sc.Now }))
	defer g.srv.Close()
	_, body := g.login("mdupont", "regisseur-demo").get("/gestion/")
	contains(t, body, esc("Chaîne du journal rompue à l'entrée n° 2"))
	contains(t, dashRow(t, body, "ENF", "G3"), "rompue à l'entrée n° 2")
	contains(t, dashRow(t, body, "ENF", "G1"), "vérifiée (18 entrées)")
}
