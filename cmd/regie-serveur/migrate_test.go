package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/regie-fr/regie/internal/sqlitedb"
	"github.com/regie-fr/regie/server/store"
)

// olderFile is a server file at schema version v, built with the
// embedded migrations up to v, as an older program left it.
func olderFile(t *testing.T, v int) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "serveur.db")
	db, err := sql.Open("sqlite", sqlitedb.DSN(file, 1000, true))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := sqlitedb.Migrate(context.Background(), db, sqlitedb.Schema{AppID: store.ApplicationID, Migrations: os.DirFS("../../server/store"),
		Dir: "migrations", Name: "Régie server file", Upto: v, Extra: func(n int) []string {
			if n != 1 {
				return nil
			}
			return []string{"INSERT INTO meta (id, store_id, rev) VALUES (1, 'abcdef0123456789', 0)"}
		}}); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestMigrate: --check lists the pending migrations and exits 1 without
// touching the file; migrate applies them and says from which version to
// which; then both say the file is up to date.
func TestMigrate(t *testing.T) {
	latest := store.LatestVersion()
	from := latest - 2
	file := olderFile(t, from)

	code, stdout, stderr := runCmd(t, file, "migrate", "--check", "--json")
	var doc struct {
		From, To int
		Pending  []string
		Applied  bool
	}
	if err := json.Unmarshal([]byte(stdout), &doc); code != 1 || err != nil {
		t.Fatalf("migrate --check: %d %v\n%s%s", code, err, stdout, stderr)
	}
	if doc.From != from || doc.To != from || len(doc.Pending) != 2 || doc.Applied ||
		!strings.HasPrefix(doc.Pending[1], fmt.Sprintf("%04d_", latest)) {
		t.Fatalf("migrate --check: %+v", doc)
	}
	if v, err := store.FileVersion(context.Background(), file); err != nil || v != from {
		t.Fatalf("--check changed the file: version %d, %v", v, err)
	}
	if code, stdout, _ = runCmd(t, file, "migrate", "--check"); code != 1 || !strings.Contains(stdout, "2 migrations à appliquer") {
		t.Fatalf("migrate --check (text): %d %s", code, stdout)
	}

	code, stdout, stderr = runCmd(t, file, "migrate")
	want := "migrée de la version " + strconv.Itoa(from) + " à la version " + strconv.Itoa(latest)
	if code != 0 || !strings.Contains(stdout, want) {
		t.Fatalf("migrate: %d\n%s%s", code, stdout, stderr)
	}
	if v, err := store.FileVersion(context.Background(), file); err != nil || v != latest {
		t.Fatalf("after migrate: version %d, %v", v, err)
	}
	for _, args := range [][]string{{"migrate", "--check"}, {"migrate"}} {
		if code, stdout, stderr = runCmd(t, file, args...); code != 0 || !strings.Contains(stdout, "est à jour") {
			t.Fatalf("%v once up to date: %d\n%s%s", args, code, stdout, stderr)
		}
	}
	if code, stdout, stderr = runCmd(t, file, "verify"); code != 0 {
		t.Fatalf("verify after migrate: %d\n%s%s", code, stdout, stderr)
	}
}

// TestMigrateRefusals: a missing file is not created, a file newer than
// the program is not opened, another kind of file is refused.
func TestMigrateRefusals(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "absente.db")
	if code, _, stderr := runCmd(t, missing, "migrate"); code != 1 || !strings.Contains(stderr, "n'existe pas") {
		t.Fatalf("missing file: %d %s", code, stderr)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("migrate created the database")
	}
	newer := olderFile(t, store.LatestVersion())
	setVersion(t, newer, store.LatestVersion()+1)
	if code, _, stderr := runCmd(t, newer, "migrate", "--check"); code != 1 || !strings.Contains(stderr, "plus récente") {
		t.Fatalf("newer file: %d %s", code, stderr)
	}
	other := filepath.Join(dir, "autre.db")
	db, err := sql.Open("sqlite", sqlitedb.URI(other, nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE t (x); PRAGMA user_version = 3`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, _, stderr := runCmd(t, other, "migrate"); code != 1 || !strings.Contains(stderr, "n'est pas une base du serveur Régie") {
		t.Fatalf("another kind of file: %d %s", code, stderr)
	}
}
