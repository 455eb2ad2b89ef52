package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/regie-fr/regie/internal/sqlitedb"
)

// hotQueries are prepared once at Open on the write connection: the push
// path runs them for every entry, and parsing SQL costs more than running it.
var hotQueries sqlitedb.Hot

func hot(q string) string { return hotQueries.Add(q) }

func (s *Store) prepare(ctx context.Context) (err error) {
	if s.stmts, err = hotQueries.Prepare(ctx, s.w); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

func (t *Tx) queryRow(q string, args ...any) *sql.Row { return t.b.QueryRow(q, args...) }

func (t *Tx) query(q string, args ...any) (*sql.Rows, error) { return t.b.Query(q, args...) }

func (t *Tx) exec(q string, args ...any) error {
	_, err := t.b.Exec(q, args...)
	return err
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
