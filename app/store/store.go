// Package store keeps a counter's journal and its reference data in one
// SQLite file. Every write that matters goes through one immediate
// transaction with synchronous=FULL, so a receipt number shown is on disk.
package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/regie-fr/regie/internal/sqlitedb"

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
	stmts sqlitedb.Prepared // read-only after Open
}

// DSN is the connection string that applies every pragma the design asks
// for, every transaction taking the write lock at BEGIN.
func DSN(file string) string { return sqlitedb.DSN(file, 5000, true) }

// Open opens or creates the counter file at path and brings its schema up
// to date.
func Open(ctx context.Context, file string) (*Store, error) {
	s, err := open(ctx, DSN(file), file, 0)
	if err != nil {
		return nil, err
	}
	if err := s.prepare(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// openMemory makes an empty counter database in memory with the shipped
// migrations up to version upto (0: all), by the same code as Open: verify
// replays a journal into it and compares. Without foreign keys it accepts
// the rows of a journal's tail whose references lie before it.
func openMemory(ctx context.Context, upto int, foreignKeys bool) (*Store, error) {
	fk := "0"
	if foreignKeys {
		fk = "1"
	}
	s, err := open(ctx, "file::memory:?_pragma=foreign_keys("+fk+")", "(mémoire)", upto)
	if err != nil {
		return nil, err
	}
	// The replay runs the counter's hot statements: prepared once, as at
	// the counter. A file of an older schema may lack a table one of them
	// reads; its replay then parses each statement.
	if err := s.prepare(ctx); err != nil {
		s.stmts = nil
	}
	return s, nil
}

func open(ctx context.Context, dsn, file string, upto int) (*Store, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", file, err)
	}
	// One connection: the counter has one writer, and an in-memory
	// database lives and dies with its connection.
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	s := &Store{db: db, path: file}
	if err := s.migrate(ctx, upto); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the handle to tools of this package's tests and to verify.
func (s *Store) DB() *sql.DB { return s.db }

func (s *Store) migrate(ctx context.Context, upto int) error {
	err := sqlitedb.Migrate(ctx, s.db, sqlitedb.Schema{AppID: ApplicationID, Migrations: migrations, Dir: "migrations",
		Name: "Régie counter file", Upto: upto})
	if err != nil {
		return fmt.Errorf("store: %s: %w", s.path, err)
	}
	return nil
}

// Update runs fn in one immediate transaction and commits it durably, or
// rolls everything back when fn fails.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	sqltx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(&Tx{tx: sqltx, ctx: ctx, b: sqlitedb.Bind(ctx, sqltx, s.stmts)}); err != nil {
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
	return fn(&Tx{tx: sqltx, ctx: ctx, b: sqlitedb.Bind(ctx, sqltx, s.stmts)})
}

// Tx is one transaction on the store; its methods are the reads and writes
// the counter's use cases need.
type Tx struct {
	tx  *sql.Tx
	ctx context.Context
	b   *sqlitedb.Bound // runs the hot statements prepared
}
