package main

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	appdemo "github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/server/demoserver"
	"github.com/regie-fr/regie/server/store"
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

// TestNoPersonalDataInLogs runs the demo server through serve's real
// wiring, its log captured, and plays a day on it: a counter enrols and
// cashes an invoice, a citizen logs in through FranceConnect, links the
// household with the access code, lists the payments and downloads a
// receipt and the attestation; another fails to link with the same code,
// then with a wrong one, and links with a slip; a régisseur logs in to the
// back-office and searches the household by name; someone types a
// citizen's e-mail and access code into the back-office login. Then no
// household member's name or birth date, no access code, no slip code and
// no e-mail address of the demo may appear in what the server logged.
func TestNoPersonalDataInLogs(t *testing.T) {
	logs := &lockedBuffer{}
	w := newWorld(t, map[string]string{}, logs)
	var slip string
	st, err := store.Open(context.Background(), w.db)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(tx *store.Tx) error {
		s, err := demoserver.Slip(tx, time.Now())
		if s != nil {
			slip = s.Code
		}
		return err
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	w.deskCash("h-0001", "i-0001-1", 61_60)

	h := w.citizen("fc-hlefevre", "K7Q101X")
	_, page := w.do(h, "GET", "/paiements", nil)
	receipt := regexp.MustCompile(`/paiements/[^/"]+/recu\.pdf`).FindString(page)
	year := strconv.Itoa(time.Now().Year())
	for _, u := range []string{receipt, "/attestations", "/factures", "/services", "/paiements/inconnu/recu.pdf",
		"/factures/i-0002-1", "/confidentialite"} {
		if status, _ := w.do(h, "GET", u, nil); status != http.StatusOK && status != http.StatusNotFound {
			t.Fatalf("%s: %d", u, status)
		}
	}
	if status, body := w.do(h, "GET", "/attestations/"+year+".pdf", nil); status != http.StatusOK || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("attestation: %d", status)
	}

	// Julien, not registered on the household, is refused the code, types
	// a wrong one, then links with the slip.
	j := w.citizen("fc-jlefevre", "")
	for _, form := range []url.Values{{"code": {"K7Q101X"}}, {"code": {"K7Q999X"}}, {"liaison": {slip}}} {
		_, page := w.do(j, "GET", "/foyers", nil)
		form.Set("csrf", csrfOf(t, page))
		w.do(j, "POST", "/foyers/lier", form)
	}
	if _, page := w.do(j, "GET", "/paiements", nil); !strings.Contains(page, "R-ENF-C01-") {
		t.Fatal("the slip did not link")
	}

	// The régisseur searches by name; someone tries a citizen's e-mail
	// and access code as a back-office login.
	bo := w.staff("mdupont", "regisseur-demo")
	if status, page := w.do(bo, "GET", "/gestion/paiements?nom="+url.QueryEscape("Lefèvre"), nil); status != http.StatusOK ||
		!strings.Contains(page, "R-ENF-C01-") {
		t.Fatalf("search: %d", status)
	}
	w.do(bo, "GET", "/gestion/paiements?compte=F001001&montant=abc", nil)
	w.do(&http.Client{}, "POST", "/gestion/connexion", url.Values{"login": {"helene.lefevre@example.fr"}, "password": {"K7Q101X"}})

	logged := logs.String()
	if !strings.Contains(logged, "serving") || !strings.Contains(logged, "portal: link refused") {
		t.Fatalf("not the server's log: %s", logged)
	}
	for _, s := range personalData(slip) {
		if containsWord(logged, s) {
			t.Errorf("the logs hold %q:\n%s", s, logged)
		}
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
