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
	"strings"
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
	return withSchema(t, base, schema)
}

// withSchema is base with its search_path set to schema.
func withSchema(t testing.TB, base, schema string) string {
	t.Helper()
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

// Kept gives the setting of a database that outlives the run, for the
// benchmarks whose data take minutes to write: a file named name in the
// temporary folder, or a schema named name in the run's cluster. The
// first run builds it with build (given the setting of an empty
// database, under a name of its own until build returns), later ones find
// it ready. name must say what the data are (their version, the
// migrations' text): a change of either is a new name; a schema's name is
// name with its hyphens as underscores. A build that did not finish
// leaves nothing found.
func Kept(t testing.TB, name string, build func(db string)) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		path := filepath.Join(os.TempDir(), name+".db")
		if _, err := os.Stat(path); err == nil {
			return path
		}
		tmp := path + ".building"
		for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
			os.Remove(p)
		}
		build(tmp)
		if err := os.Rename(tmp, path); err != nil {
			t.Fatalf("storetest: %v", err)
		}
		return path
	}
	name = strings.ReplaceAll(name, "-", "_")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer admin.Close()
	var found bool
	if err := admin.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, name).Scan(&found); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	if !found {
		tmp := name + "_building"
		if _, err := admin.Exec(`DROP SCHEMA IF EXISTS ` + tmp + ` CASCADE`); err != nil {
			t.Fatalf("storetest: %v", err)
		}
		if _, err := admin.Exec(`CREATE SCHEMA ` + tmp); err != nil {
			t.Fatalf("storetest: create schema: %v", err)
		}
		build(withSchema(t, base, tmp))
		if _, err := admin.Exec(`ALTER SCHEMA ` + tmp + ` RENAME TO ` + name); err != nil {
			t.Fatalf("storetest: %v", err)
		}
	}
	return withSchema(t, base, name)
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
