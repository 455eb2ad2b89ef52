// Package store keeps the central server's data: the régies and their
// counters, agents and tariffs, the households and invoices imported from
// the city's software, and every counter's journal with what it recorded
// (payments, cancellations, credits). It lives in one SQLite file (the
// default: one city, nothing to install) or in a PostgreSQL database (a
// hosting service, several server instances side by side), with the same
// queries and the same rules; the schema is brought up to date by embedded,
// numbered migrations.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/regie-fr/regie/internal/sqlitedb"

	_ "modernc.org/sqlite" // the SQL driver, pure Go
)

// ApplicationID marks a SQLite file as a Régie server file ("REGS"), so the
// server refuses to start on a counter file or some other database.
const ApplicationID = 0x52454753

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the server's database. Writes go through one connection (SQLite
// has one writer; queueing in the process is cheaper than SQLITE_BUSY),
// reads through a pool of their own so that a large pull never holds up a
// push.
type Store struct {
	w, r    *sql.DB
	path    string // the file, or the PostgreSQL address without its password
	pg      bool
	storeID string
	stmts   sqlitedb.Prepared
}

// dsn is the connection string: writes take the lock when they begin.
func dsn(file string, write bool) string { return sqlitedb.DSN(file, 10000, write) }

// Open opens or creates the server's database and brings its schema up to
// date: db is a file path, sqlite:PATH, or a postgres:// address.
func Open(ctx context.Context, db string) (*Store, error) {
	if IsPostgres(db) {
		return openPostgres(ctx, db)
	}
	file := strings.TrimPrefix(db, "sqlite:")
	w, err := sql.Open("sqlite", dsn(file, true))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", file, err)
	}
	w.SetMaxOpenConns(1)
	s := &Store{w: w, path: file}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if s.r, err = sql.Open("sqlite", dsn(file, false)); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", file, err)
	}
	s.r.SetMaxOpenConns(4)
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes both handles.
func (s *Store) Close() error {
	var err error
	if s.r != nil {
		err = s.r.Close()
	}
	if e := s.w.Close(); e != nil {
		err = e
	}
	return err
}

// ID identifies this database: it changes when a new file is created, so a
// counter's pull cursor from another database starts over.
func (s *Store) ID() string { return s.storeID }

// DB exposes the write handle to this package's tests and to tools.
func (s *Store) DB() *sql.DB { return s.w }

func (s *Store) migrate(ctx context.Context) error {
	err := sqlitedb.Migrate(ctx, s.w, sqlitedb.Schema{AppID: ApplicationID, Migrations: migrations, Dir: "migrations",
		Name: "Régie server file", Extra: func(n int) []string {
			if n != 1 {
				return nil
			}
			// A new file gets its own id: a counter's pull cursor from
			// another database starts over.
			id := make([]byte, 8)
			rand.Read(id)
			return []string{fmt.Sprintf("INSERT INTO meta (id, store_id, rev) VALUES (1, '%s', 0)", hex.EncodeToString(id))}
		}})
	if err != nil {
		return fmt.Errorf("store: %s: %w", s.path, err)
	}
	var v int
	if err := s.w.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return fmt.Errorf("store: %s: read user_version: %w", s.path, err)
	}
	if latest := LatestVersion(); v > latest {
		return fmt.Errorf("store: %s: %w", s.path, newerError(v, latest))
	}
	if err := s.w.QueryRowContext(ctx, `SELECT store_id FROM meta WHERE id = 1`).Scan(&s.storeID); err != nil {
		return fmt.Errorf("store: read store id: %w", err)
	}
	return nil
}

// Update runs fn in one immediate transaction and commits it durably, or
// rolls everything back when fn fails.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	sqltx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	// Statements run without the request's cancellation: once a
	// transaction has begun it ends by its own commit or rollback, and the
	// driver need not watch a context on every statement.
	tctx := context.WithoutCancel(ctx)
	t := &Tx{tx: sqltx, ctx: tctx, b: sqlitedb.Bind(tctx, sqltx, s.stmts), storeID: s.storeID, pg: s.pg}
	if s.pg {
		// PostgreSQL's writers run one at a time, as SQLite's do: the
		// meta row is locked before anything is read, so a transaction
		// sees everything committed before it, what it settles on an
		// invoice is never settled twice, and revisions are committed in
		// the order a counter's pull reads them.
		if err := sqltx.QueryRowContext(tctx, `SELECT rev FROM meta WHERE id = 1 FOR UPDATE`).Scan(&t.head); err != nil {
			sqltx.Rollback()
			return fmt.Errorf("store: lock: %w", err)
		}
		t.rev = t.head
	}
	if err := fn(t); err != nil {
		sqltx.Rollback()
		return err
	}
	if err := t.flushRev(); err != nil {
		sqltx.Rollback()
		return err
	}
	if err := sqltx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// View runs fn in a read transaction of its own: reads see one consistent
// state, and pushes go on meanwhile.
func (s *Store) View(ctx context.Context, fn func(*Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.pg {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for every statement
	}
	sqltx, err := s.r.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer sqltx.Rollback()
	tctx := context.WithoutCancel(ctx)
	return fn(&Tx{tx: sqltx, ctx: tctx, b: sqlitedb.Bind(tctx, sqltx, nil), storeID: s.storeID, pg: s.pg})
}

// Tx is one transaction on the server's store.
type Tx struct {
	tx      *sql.Tx
	ctx     context.Context
	b       *sqlitedb.Bound // runs the hot statements prepared
	storeID string
	pg      bool  // the queries run on PostgreSQL (dialect.go)
	rev     int64 // the last revision given in this transaction, 0 before the first
	head    int64 // the revision the transaction started from
	// invoices caches the invoices a push changes, written back once at the
	// end of the batch (flushInvoices).
	invoices map[string]*invoicePaid
	pending  *pending // rows a push has yet to write
}

// nextRev gives the next revision number. Every reference row written gets
// its own, so that a pull can cut pages at any revision.
func (t *Tx) nextRev() (int64, error) {
	if t.rev == 0 {
		if err := t.queryRow(`SELECT rev FROM meta WHERE id = 1`).Scan(&t.head); err != nil {
			return 0, fmt.Errorf("store: read revision: %w", err)
		}
		t.rev = t.head
	}
	t.rev++
	return t.rev, nil
}

func (t *Tx) flushRev() error {
	if t.rev == 0 || t.rev == t.head {
		return nil
	}
	return wrap("save revision", t.exec(`UPDATE meta SET rev = ? WHERE id = 1`, t.rev))
}
