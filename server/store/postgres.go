package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations_pg/*.sql
var pgMigrations embed.FS

// IsPostgres tells whether a database setting names a PostgreSQL database
// rather than a SQLite file.
func IsPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Redact is a database setting as logs and messages may show it: a
// PostgreSQL address without its password.
func Redact(db string) string {
	if !IsPostgres(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://…"
	}
	// pgx also takes the password as a parameter of the address.
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// pgLockKey is the advisory lock two instances starting at once take
// around the migrations, so that only one applies them.
const pgLockKey = ApplicationID

// openPostgres opens a PostgreSQL database and brings its schema up to
// date. Writes and reads get pools of their own, as on SQLite; several
// writers may wait at once, and Update lines them up on the meta row.
func openPostgres(ctx context.Context, db string) (*Store, error) {
	s := &Store{path: Redact(db), pg: true}
	var err error
	if s.w, err = openPostgresDB(db); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", s.path, err)
	}
	// Connections are kept open: a new PostgreSQL connection costs a
	// process on the database's side and several milliseconds.
	s.w.SetMaxOpenConns(8)
	s.w.SetMaxIdleConns(8)
	if err := s.migratePostgres(ctx); err != nil {
		s.w.Close()
		return nil, err
	}
	if s.r, err = openPostgresDB(db); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("store: open %s: %w", s.path, err)
	}
	s.r.SetMaxOpenConns(8)
	s.r.SetMaxIdleConns(8)
	return s, nil
}

// pgVersion reads the schema version of a PostgreSQL database: 0 when it
// has no Régie tables yet, an error when it holds tables of something else.
func pgVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var tables int
	var hasVersion bool
	err := q.QueryRowContext(ctx, `SELECT count(*), coalesce(bool_or(table_name = 'regie_schema'), false)
		FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&tables, &hasVersion)
	if err != nil {
		return 0, fmt.Errorf("read schema: %w", err)
	}
	if !hasVersion {
		if tables > 0 {
			return 0, fmt.Errorf("%w: the schema holds %d tables of another program", ErrNotServerFile, tables)
		}
		return 0, nil
	}
	var v int
	if err := q.QueryRowContext(ctx, `SELECT version FROM regie_schema`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// migratePostgres applies the migrations above the database's version,
// each in its own transaction under an advisory lock: a second instance
// starting at the same moment waits, then finds nothing left to do.
func (s *Store) migratePostgres(ctx context.Context) error {
	names, err := pgMigrationNames()
	if err != nil {
		return err
	}
	for _, name := range names {
		n, _ := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err := s.applyPostgres(ctx, name, n, n == pgFirst(names)); err != nil {
			return fmt.Errorf("store: %s: %w", s.path, err)
		}
	}
	v, err := pgVersion(ctx, s.w)
	if err != nil {
		return fmt.Errorf("store: %s: %w", s.path, err)
	}
	if latest := LatestVersion(); v > latest {
		return fmt.Errorf("store: %s: %w", s.path, newerError(v, latest))
	}
	if err := s.w.QueryRowContext(ctx, `SELECT store_id FROM meta WHERE id = 1`).Scan(&s.storeID); err != nil {
		return fmt.Errorf("store: read store id: %w", err)
	}
	return nil
}

// postgresVersion reads the schema version of a PostgreSQL database
// without migrating it (0: an empty schema, which Open would fill).
func postgresVersion(ctx context.Context, db string) (int, error) {
	conn, err := openPostgresDB(db)
	if err != nil {
		return 0, fmt.Errorf("store: open %s: %w", Redact(db), err)
	}
	defer conn.Close()
	return pgVersion(ctx, conn)
}

func pgMigrationNames() ([]string, error) {
	files, err := fs.ReadDir(pgMigrations, "migrations_pg")
	if err != nil {
		return nil, fmt.Errorf("store: list migrations: %w", err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name())
	}
	sort.Strings(names)
	return names, nil
}

func pgFirst(names []string) int {
	n, _ := strconv.Atoi(strings.SplitN(names[0], "_", 2)[0])
	return n
}

func (s *Store) applyPostgres(ctx context.Context, name string, n int, first bool) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, pgLockKey); err != nil {
		return fmt.Errorf("migration %s: lock: %w", name, err)
	}
	v, err := pgVersion(ctx, tx)
	if err != nil {
		return err
	}
	if v >= n {
		return nil
	}
	body, err := fs.ReadFile(pgMigrations, path.Join("migrations_pg", name))
	if err != nil {
		return fmt.Errorf("read migration %s: %w", name, err)
	}
	stmts := []string{string(body)}
	if first {
		id := make([]byte, 8)
		rand.Read(id)
		stmts = append(stmts, `CREATE TABLE regie_schema (version BIGINT NOT NULL)`,
			`INSERT INTO regie_schema (version) VALUES (0)`,
			fmt.Sprintf(`INSERT INTO meta (id, store_id, rev) VALUES (1, '%s', 0)`, hex.EncodeToString(id)))
	}
	stmts = append(stmts, fmt.Sprintf(`UPDATE regie_schema SET version = %d`, n))
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", name, err)
	}
	return nil
}

// ErrNewer is returned for a database written by a newer program: this
// one would not know its tables, and must not write into them.
var ErrNewer = errors.New("store: database newer than this program")

func newerError(v, latest int) error {
	return fmt.Errorf("%w (schema version %d, this program knows up to %d)", ErrNewer, v, latest)
}
