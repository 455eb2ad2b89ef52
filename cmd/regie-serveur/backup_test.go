package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/regie-fr/regie/internal/sqlitedb"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// runCmd runs one regie-serveur command against db.
func runCmd(t *testing.T, db string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, env{get: func(k string) string {
		if k == "REGIE_DB" {
			return db
		}
		return ""
	}}, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// tableCounts counts the rows of the tables that hold the régie's accounts.
func tableCounts(t *testing.T, file string) map[string]int64 {
	t.Helper()
	db, err := sql.Open("sqlite", sqlitedb.URI(file, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int64{}
	for _, table := range []string{"journal", "payments", "allocations", "audit", "counters", "households", "invoices", "staff"} {
		var n int64
		if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// TestBackupOfALiveServer backs up the database of a running serve that a
// desk has pushed to, reads the copy's summary, compares it row for row
// with the live file, refuses to write over it, and then runs the restore
// drill: a serve started on the copy shows the desk's payment.
func TestBackupOfALiveServer(t *testing.T) {
	w := newWorld(t, map[string]string{})
	w.deskCash("h-0001", "i-0001-2", 20_00)
	to := filepath.Join(t.TempDir(), "sauvegarde.db")
	if storetest.Postgres() {
		// PostgreSQL has its own tools, which the guide describes: the
		// command says so and writes nothing.
		code, _, stderr := runCmd(t, w.db, "backup", "--to", to)
		if _, err := os.Stat(to); code == 0 || !strings.Contains(stderr, "pg_dump") || err == nil {
			t.Fatalf("backup of a PostgreSQL database: %d %q", code, stderr)
		}
		return
	}

	code, stdout, stderr := runCmd(t, w.db, "backup", "--to", to, "--json")
	if code != 0 {
		t.Fatalf("backup: %d\n%s%s", code, stdout, stderr)
	}
	var sum backupSummary
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	live, copied := tableCounts(t, w.db), tableCounts(t, to)
	if live["journal"] == 0 || live["payments"] == 0 {
		t.Fatalf("the desk's push left nothing: %v", live)
	}
	for table, n := range live {
		if copied[table] != n {
			t.Errorf("%s: %d rows in the copy, %d live", table, copied[table], n)
		}
	}
	if !sum.OK || sum.Broken != 0 || sum.File != to || sum.Version != store.LatestVersion() || sum.Bytes == 0 ||
		sum.Entries != live["journal"] || sum.AuditEntries != live["audit"] || int64(sum.Counters) != live["counters"] {
		t.Fatalf("summary %+v, live %v", sum, live)
	}

	// Text summary, and never over an existing file.
	before, _ := os.ReadFile(to)
	code, stdout, stderr = runCmd(t, w.db, "backup", "--to", to)
	if code != 1 || !strings.Contains(stderr, "existe déjà") {
		t.Fatalf("backup over an existing file: %d\n%s%s", code, stdout, stderr)
	}
	if after, _ := os.ReadFile(to); !bytes.Equal(before, after) {
		t.Fatal("the existing backup was changed")
	}
	other := filepath.Join(filepath.Dir(to), "autre.db")
	if code, stdout, stderr = runCmd(t, w.db, "backup", "--to", other); code != 0 ||
		!strings.Contains(stdout, "Sauvegarde écrite : "+other) || !strings.Contains(stdout, "Toutes les chaînes sont intactes.") {
		t.Fatalf("text backup: %d\n%s%s", code, stdout, stderr)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(to), ".*partial*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}

	// The restore drill: serve on the copy, the desk's payment is there.
	addr := freeAddr(t)
	restored := &world{t: t, base: "http://" + addr, db: to}
	if got := startServe(t, map[string]string{"REGIE_DB": to, "REGIE_ADDR": addr, "REGIE_PUBLIC_URL": restored.base,
		"REGIE_INSECURE_COOKIES": "1"}); got != restored.base {
		t.Fatalf("restored serve on %s", got)
	}
	bo := restored.staff("mdupont", "regisseur-demo")
	status, page := restored.do(bo, "GET", "/gestion/paiements?compte=F001001", nil)
	if got := receiptsOf(page); status != http.StatusOK || got["C01"] == "" {
		t.Fatalf("restored back-office search (%d) shows %v, want the desk's payment", status, got)
	}
	if code, stdout, stderr = runCmd(t, to, "verify", "--json"); code != 0 || !strings.Contains(stdout, `"ok": true`) {
		t.Fatalf("verify on the restored copy: %d\n%s%s", code, stdout, stderr)
	}
}

// TestBackupRefusals: no --to, a missing database, a database of another
// version: refused in French, nothing written.
func TestBackupRefusals(t *testing.T) {
	dir := t.TempDir()
	to := filepath.Join(dir, "copie.db")
	if code, _, stderr := runCmd(t, filepath.Join(dir, "absente.db"), "backup", "--to", to); code != 1 || !strings.Contains(stderr, "n'existe pas") {
		t.Fatalf("missing database: %d %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "absente.db")); err == nil {
		t.Fatal("backup created the database it was to copy")
	}
	if code, _, stderr := runCmd(t, filepath.Join(dir, "x.db"), "backup", "--to", filepath.Join(dir, "non", "copie.db")); code != 1 ||
		!strings.Contains(stderr, "dossier de la sauvegarde") {
		t.Fatalf("missing folder: %d %s", code, stderr)
	}
	if code, _, stderr := runCmd(t, filepath.Join(dir, "x.db"), "backup"); code != 2 || !strings.Contains(stderr, "--to") {
		t.Fatalf("no --to: %d %s", code, stderr)
	}
	db := filepath.Join(dir, "serveur.db")
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	setVersion(t, db, store.LatestVersion()-1)
	if code, _, stderr := runCmd(t, db, "backup", "--to", to); code != 1 || !strings.Contains(stderr, "version") {
		t.Fatalf("older schema: %d %s", code, stderr)
	}
	if _, err := os.Stat(to); err == nil {
		t.Fatal("a refused backup wrote its file")
	}
}

// setVersion sets a file's schema version behind the store's back.
func setVersion(t *testing.T, file string, v int) {
	t.Helper()
	db, err := sql.Open("sqlite", sqlitedb.URI(file, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`PRAGMA user_version = ` + strconv.Itoa(v)); err != nil {
		t.Fatal(err)
	}
}
