package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	"github.com/regie-fr/regie/internal/sqlitedb"
)

// hotQueries are prepared once at Open on the write connection: the push
// path runs them for every entry, and parsing SQL costs more than running it.
var hotQueries sqlitedb.Hot

func hot(q string) string { return hotQueries.Add(q) }

func (s *Store) prepare(ctx context.Context) (err error) {
	if s.pg {
		return nil // pgx prepares and keeps each statement on first use
	}
	if s.stmts, err = hotQueries.Prepare(ctx, s.w); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// sql is q and its arguments in the dialect of the transaction's
// database (dialect.go).
func (t *Tx) sql(q string, args []any) (string, []any) {
	if t.pg {
		return toPostgres(q), postgresArgs(args)
	}
	return q, args
}

func (t *Tx) queryRow(q string, args ...any) *sql.Row {
	q, args = t.sql(q, args)
	return t.b.QueryRow(q, args...)
}

func (t *Tx) query(q string, args ...any) (*sql.Rows, error) {
	q, args = t.sql(q, args)
	r, err := t.b.Query(q, args...)
	debugSQL(q, err)
	return r, err
}

func (t *Tx) exec(q string, args ...any) error {
	_, err := t.execCount(q, args...)
	return err
}

// execCount runs q and says how many rows it changed.
func (t *Tx) execCount(q string, args ...any) (int64, error) {
	q, args = t.sql(q, args)
	res, err := t.b.Exec(q, args...)
	debugSQL(q, err)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// Ping reads the database, for the health check.
func (t *Tx) Ping() error {
	var n int
	return wrap("ping", t.queryRow(`SELECT count(*) FROM meta`).Scan(&n))
}

// debugSQL prints a failed statement as the database received it (after
// the rewrite for PostgreSQL) when REGIE_SQL_DEBUG is set: a query the
// rewrite does not cover fails on PostgreSQL only, and its text is what
// tells why. Only failures cost the look-up of the variable.
func debugSQL(q string, err error) {
	if err != nil && os.Getenv("REGIE_SQL_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, "SQL ERROR %v\n%s\n", err, q)
	}
}
