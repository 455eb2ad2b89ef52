// Package storetest gives the server's tests a fresh, empty database of the
// kind the run asks for: a SQLite file in the test's temporary folder, or,
// when REGIE_TEST_POSTGRES names a PostgreSQL cluster (make test starts a
// throw-away one), a schema of its own in it, dropped after the test. The
// server's whole suite runs once per kind, so every behaviour it asserts
// holds on both.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Env names the variable holding the PostgreSQL cluster's address.
const Env = "REGIE_TEST_POSTGRES"

// Postgres tells whether this run's databases are on PostgreSQL.
func Postgres() bool { return os.Getenv(Env) != "" }

// Kind names this run's database, for test names and messages.
func Kind() string {
	if Postgres() {
		return "postgres"
	}
	return "sqlite"
}

// DB returns the setting of a fresh database (a file path or a postgres://
// address), created empty; name tells files apart when a test needs
// several.
func DB(t testing.TB, name string) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		return filepath.Join(t.TempDir(), name+".db")
	}
	return newSchema(t, base)
}

// newSchema creates a schema with a random name and returns base with its
// search_path set to it; the schema goes when the test ends.
func newSchema(t testing.TB, base string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("storetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: %s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// SQLiteOnly ends a test on PostgreSQL, for what only a SQLite file has:
// its query planner's choices, a migration of an old file, a copy made
// with VACUUM INTO. why says which, in the test's log.
func SQLiteOnly(t testing.TB, why string) {
	t.Helper()
	if Postgres() {
		t.Skip("SQLite only: " + why)
	}
}

// PostgresOnly ends a test on a SQLite-only run, for what needs a
// PostgreSQL database (a copy into one); make test runs the server's
// packages again on a throw-away cluster, where it runs. why says which,
// in the test's log.
func PostgresOnly(t testing.TB, why string) {
	t.Helper()
	if !Postgres() {
		t.Skip("PostgreSQL only (" + Env + " unset): " + why)
	}
}
