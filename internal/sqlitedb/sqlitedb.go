// Package sqlitedb is what the counter's store and the server's store share
// about SQLite: the connection string with the pragmas the design asks for,
// numbered migrations embedded in the binary, and the statements prepared
// once because parsing SQL costs more than running it.
package sqlitedb

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // the SQL driver, pure Go
)

// DSN is the connection string that applies every pragma: WAL,
// synchronous=FULL so a commit is on disk, foreign keys, a busy timeout;
// immediate makes every transaction take the write lock at BEGIN.
func DSN(file string, busyMillis int, immediate bool) string {
	q := url.Values{}
	for _, p := range []string{fmt.Sprintf("busy_timeout(%d)", busyMillis), "journal_mode(WAL)", "foreign_keys(1)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	if immediate {
		q.Set("_txlock", "immediate")
	}
	return URI(file, q)
}

// URI is the SQLite URI of file with the query q. The name is escaped as a
// URI path, so a file whose name has a space, '?', '#', '%' or an accent is
// the file opened, not a name cut at the first '?' or '#'. A relative name
// is made absolute first: SQLite URIs have no relative form that survives
// every character.
func URI(file string, q url.Values) string {
	if abs, err := filepath.Abs(file); err == nil {
		file = abs
	}
	p := filepath.ToSlash(file)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/dir/f.db on Windows: file:///C:/dir/f.db
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// Schema is a kind of database file: its application_id, the folder of
// its numbered migrations (0001_name.sql…), and what to call it in errors.
type Schema struct {
	AppID      int
	Migrations fs.FS
	Dir        string
	Name       string
	// Extra gives statements to run with migration n in its transaction,
	// such as a row every file must have.
	Extra func(n int) []string
	// Upto stops after migration Upto (0: apply them all). verify builds
	// its reference database at the version of the file it checks.
	Upto int
}

// Migrate brings db up to date: it refuses a file of another kind, applies
// each migration above the file's user_version in its own transaction
// (so a crash leaves the file at a known version), and then checks the
// foreign keys. Migrations are applied in order and only above the highest
// applied: a new one always takes the next number.
func Migrate(ctx context.Context, db *sql.DB, s Schema) error {
	var appID, version int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("read application_id: %w", err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read user_version: %w", err)
	}
	if version > 0 && appID != s.AppID {
		return fmt.Errorf("not a %s (application_id %#x)", s.Name, appID)
	}
	files, err := fs.ReadDir(s.Migrations, s.Dir)
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	names := make([]string, 0, len(files))
	for _, f := range files {
		names = append(names, f.Name())
	}
	sort.Strings(names)
	applied := false
	for _, name := range names {
		n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: bad number", name)
		}
		if n <= version || s.Upto > 0 && n > s.Upto {
			continue
		}
		if err := apply(ctx, db, s, name, n); err != nil {
			return err
		}
		applied = true
	}
	// The foreign keys are checked after a migration only: with
	// foreign_keys on, nothing else writes a dangling key, and the check
	// reads the whole file (a quarter of a second at 100 000 payments) at
	// every open. A file edited behind the program's back is verify's.
	if !applied {
		return nil
	}
	rows, err := db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("foreign_key_check: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		return fmt.Errorf("the %s fails its foreign key check", s.Name)
	}
	return rows.Err()
}

// ForeignKeysOff is the first line of a migration that must run with the
// foreign keys off: SQLite's procedure to change a table in a way ALTER
// TABLE cannot (drop an inline UNIQUE, say) creates the new table, copies
// the rows, drops the old one and renames the new one, and the drop would
// otherwise fail or cascade. Such a migration runs on one connection with
// the pragma set before BEGIN (inside a transaction it is a no-op), checks
// the foreign keys before it commits, and turns them back on after.
const ForeignKeysOff = "-- foreign_keys: off"

func apply(ctx context.Context, db *sql.DB, s Schema, name string, n int) error {
	body, err := fs.ReadFile(s.Migrations, path.Join(s.Dir, name))
	if err != nil {
		return fmt.Errorf("read migration %s: %w", name, err)
	}
	fkOff := strings.HasPrefix(strings.TrimLeft(string(body), "\ufeff \t\r\n"), ForeignKeysOff)
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	defer conn.Close()
	if fkOff {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return fmt.Errorf("migration %s: foreign keys off: %w", name, err)
		}
		// Back on whatever happens: the connection returns to the pool.
		defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	defer tx.Rollback()
	stmts := []string{string(body), fmt.Sprintf("PRAGMA application_id = %d", s.AppID), fmt.Sprintf("PRAGMA user_version = %d", n)}
	if s.Extra != nil {
		stmts = append(stmts, s.Extra(n)...)
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	if fkOff {
		if err := foreignKeyCheck(ctx, tx); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", name, err)
	}
	return nil
}

// foreignKeyCheck fails when a row names a parent that does not exist,
// and says which table holds it.
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("foreign_key_check: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid, fkid sql.NullInt64
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return fmt.Errorf("foreign_key_check: %w", err)
		}
		return fmt.Errorf("foreign key check fails: a row of %s names a missing %s", table, parent)
	}
	return rows.Err()
}
