package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// TestCopyCommand moves a city that took payments on every channel (a
// bank statement imported at the back-office, cash at a desk, Publik's
// online payment, a citizen's portal link) from its file to PostgreSQL,
// while its server runs: the report names the tables and what verify
// found on both sides, and never the password; a server started on the
// copy shows the desk's payment, keeps the citizen logged in (sessions
// and their keys are in the database) and verifies; a second copy into it
// is refused.
func TestCopyCommand(t *testing.T) {
	storetest.PostgresOnly(t, "a copy into PostgreSQL")
	w := newWorldOn(t, filepath.Join(t.TempDir(), "ville.db"), map[string]string{"REGIE_PUBLIK_KEYS": publikOrig + "=" + publikKey})
	bo := w.staff("mdupont", "regisseur-demo")
	_, page := w.do(bo, "GET", "/gestion/banque", nil)
	camt, err := os.ReadFile("../../server/bank/testdata/enf-camt053-001-02.xml")
	if err != nil {
		t.Fatal(err)
	}
	if status, body := w.upload(bo, "/gestion/banque/releves", page, "releve", "releve.xml", camt, url.Values{"regie": {"ENF"}}); status != 200 {
		t.Fatalf("statement import %d:\n%s", status, body)
	}
	w.deskCash("h-0001", "i-0001-2", 20_00)
	if status, out := w.publik("POST", "/api/regie/enf/invoice/i-0001-3/pay/", "",
		`{"transaction_id": "PUBLIK-TX-1", "transaction_date": "2026-12-03T10:00:00", "amount": "50.00"}`); status != 200 || out["err"] != float64(0) {
		t.Fatalf("Publik pay %d: %v", status, out)
	}
	citizen := w.citizen("fc-hlefevre", "K7Q101X")

	// The address carries a password (the test cluster trusts local
	// connections and ignores it): no output may show it.
	u, err := url.Parse(storetest.DB(t, "cible"))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "mot-de-passe-secret")
	q := u.Query()
	q.Set("password", "mot-de-passe-secret") // pgx reads it there too
	u.RawQuery = q.Encode()
	to := u.String()
	code, stdout, stderr := runCmd(t, "", "copy", "--from", w.db, "--to", to, "--json")
	if code != 0 {
		t.Fatalf("copy: %d\n%s%s", code, stdout, stderr)
	}
	var rep store.CopyReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	rows := map[string]int64{}
	for _, tb := range rep.Tables {
		rows[tb.Name] = tb.Rows
	}
	if !rep.Same || rep.Source.Counters < 3 || rep.Target.Entries != rep.Source.Entries || rep.Source.AuditEntries == 0 ||
		rows["bank_entries"] == 0 || rows["portal_links"] == 0 || rows["portal_sessions"] == 0 || rows["journal"] == 0 ||
		rep.Version != store.LatestVersion() || rep.From != w.db {
		t.Fatalf("report %s", stdout)
	}
	if strings.Contains(stdout+stderr, "mot-de-passe-secret") {
		t.Fatalf("the password is shown:\n%s%s", stdout, stderr)
	}

	// In text, into another database.
	code, stdout, stderr = runCmd(t, "", "copy", "--from", w.db, "--to", storetest.DB(t, "autre"))
	if code != 0 || !strings.Contains(stdout, "Relue : chaque table de la cible contient exactement les lignes de la source.") ||
		!strings.Contains(stdout, "Cible  : 3 postes") || strings.Count(stdout, "toutes les chaînes sont intactes.") != 2 {
		t.Fatalf("text copy: %d\n%s%s", code, stdout, stderr)
	}
	t.Log(stdout)

	// Again, in text: refused, the target holds the city already.
	code, stdout, stderr = runCmd(t, "", "copy", "--from", w.db, "--to", to)
	if code != 1 || !strings.Contains(stderr, "contient déjà des données") || strings.Contains(stdout+stderr, "mot-de-passe-secret") {
		t.Fatalf("second copy: %d\n%s%s", code, stdout, stderr)
	}

	// The city served from PostgreSQL.
	addr := freeAddr(t)
	moved := &world{t: t, base: "http://" + addr, db: to}
	vars := map[string]string{}
	for k, v := range w.vars {
		vars[k] = v
	}
	vars["REGIE_DB"], vars["REGIE_ADDR"], vars["REGIE_PUBLIC_URL"] = to, addr, moved.base
	if got := startServe(t, vars); got != moved.base {
		t.Fatalf("serve on the copy listens on %s", got)
	}
	status, page := moved.do(moved.staff("mdupont", "regisseur-demo"), "GET", "/gestion/paiements?compte=F001001", nil)
	if got := receiptsOf(page); status != http.StatusOK || got["C01"] == "" || got["GESTION"] == "" || got["ENLIGNE"] == "" {
		t.Fatalf("back-office search on the copy (%d) shows %v, want the desk's, the bank's and Publik's payments", status, got)
	}
	// The cookie jar sends the session to the same host whatever the
	// port: the session lives in the database the copy moved.
	status, page = moved.do(citizen, "GET", "/paiements", nil)
	if got := receiptsOf(page); status != http.StatusOK || got["C01"] == "" {
		t.Fatalf("Mes paiements on the copy (%d) shows %v, want the desk's payment", status, got)
	}
	if code, stdout, stderr = runCmd(t, to, "verify", "--json"); code != 0 || !strings.Contains(stdout, `"ok": true`) {
		t.Fatalf("verify on the copy: %d\n%s%s", code, stdout, stderr)
	}
}

// TestCopyCommandRefusals: flags missing, a missing file, a file at an
// older schema version (the message says to migrate it first, and the
// file is not touched), a target that is not PostgreSQL.
func TestCopyCommandRefusals(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCmd(t, "", "copy", "--to", "postgres://x@127.0.0.1/db"); code != 2 || !strings.Contains(stderr, "--from") {
		t.Fatalf("no --from: %d %s", code, stderr)
	}
	if code, _, stderr := runCmd(t, "", "copy", "--from", filepath.Join(dir, "absente.db"), "--to", "postgres://x@127.0.0.1/db"); code != 1 ||
		!strings.Contains(stderr, "n'existe pas") {
		t.Fatalf("missing file: %d %s", code, stderr)
	}
	db := filepath.Join(dir, "serveur.db")
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, _, stderr := runCmd(t, "", "copy", "--from", db, "--to", filepath.Join(dir, "autre.db")); code != 1 || !strings.Contains(stderr, "PostgreSQL") {
		t.Fatalf("SQLite target: %d %s", code, stderr)
	}
	setVersion(t, db, store.LatestVersion()-1)
	before, _ := os.ReadFile(db)
	code, _, stderr := runCmd(t, "", "copy", "--from", db, "--to", "postgres://x:secret@127.0.0.1:1/db")
	if code != 1 || !strings.Contains(stderr, "regie-serveur migrate") || strings.Contains(stderr, "secret") {
		t.Fatalf("older schema: %d %s", code, stderr)
	}
	if after, _ := os.ReadFile(db); string(after) != string(before) {
		t.Fatal("the refused copy wrote into its source")
	}
}
