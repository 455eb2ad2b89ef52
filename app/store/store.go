// Package store keeps a counter's journal and its reference data in one
// SQLite file. Every write that matters goes through one immediate
// transaction with synchronous=FULL, so a receipt number shown is on disk.
package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // the SQL driver, pure Go
)

// ApplicationID marks a SQLite file as a Régie counter file ("REGI"), so the
// verify command and the app refuse to work on some other database.
const ApplicationID = 0x52454749

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a counter's database. It has a single connection: the counter
// has one writer, and serialising in the process is cheaper than SQLITE_BUSY.
type Store struct {
	db    *sql.DB
	path  string
	stmts map[string]*sql.Stmt // read-only after Open
}

// DSN is the connection string that applies every pragma the design asks for.
func DSN(file string) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + file + "?" + q.Encode()
}

// Open opens or creates the counter file at path and brings its schema up
// to date.
func Open(ctx context.Context, file string) (*Store, error) {
	db, err := sql.Open("sqlite", DSN(file))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", file, err)
	}
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: file}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.prepare(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the handle to tools of this package's tests and to verify.
func (s *Store) DB() *sql.DB { return s.db }

func (s *Store) migrate(ctx context.Context) error {
	var appID, version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("store: read application_id: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("store: read user_version: %w", err)
	}
	if version > 0 && appID != ApplicationID {
		return fmt.Errorf("store: %s is not a Régie counter file (application_id %#x)", s.path, appID)
	}
	files, err := migrations.ReadDir("migrations")
	if err != nil {
		return fmt.Errorf("store: list migrations: %w", err)
	}
	names := make([]string, 0, len(files))
	for _, f := range files {
		names = append(names, f.Name())
	}
	sort.Strings(names)
	for _, name := range names {
		n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("store: migration %s: bad number", name)
		}
		if n <= version {
			continue
		}
		body, err := migrations.ReadFile(path.Join("migrations", name))
		if err != nil {
			return fmt.Errorf("store: read migration %s: %w", name, err)
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("store: migration %s: %w", name, err)
		}
		stmts := []string{string(body),
			fmt.Sprintf("PRAGMA application_id = %d", ApplicationID),
			fmt.Sprintf("PRAGMA user_version = %d", n)}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				tx.Rollback()
				return fmt.Errorf("store: migration %s: %w", name, err)
			}
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: migration %s: commit: %w", name, err)
		}
	}
	rows, err := s.db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("store: foreign_key_check: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		return fmt.Errorf("store: %s fails its foreign key check", s.path)
	}
	return rows.Err()
}

// Update runs fn in one immediate transaction and commits it durably, or
// rolls everything back when fn fails.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	sqltx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(&Tx{tx: sqltx, ctx: ctx, stmts: s.stmts}); err != nil {
		sqltx.Rollback()
		return err
	}
	if err := sqltx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// View runs fn in a transaction that is always rolled back: reads see one
// consistent state.
func (s *Store) View(ctx context.Context, fn func(*Tx) error) error {
	sqltx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer sqltx.Rollback()
	return fn(&Tx{tx: sqltx, ctx: ctx, stmts: s.stmts})
}

// Tx is one transaction on the store; its methods are the reads and writes
// the counter's use cases need.
type Tx struct {
	tx    *sql.Tx
	ctx   context.Context
	stmts map[string]*sql.Stmt
}
