package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/regie-fr/regie/internal/sqlitedb"
)

// hotQueries are the statements on the path from the validate key to the
// receipt number. Parsing SQL costs more than running these statements, so
// Open prepares them once on the store's single connection and each
// transaction reuses them.
var hotQueries sqlitedb.Hot

// hot registers q as a statement to prepare at Open.
func hot(q string) string { return hotQueries.Add(q) }

func (s *Store) prepare(ctx context.Context) (err error) {
	if s.stmts, err = hotQueries.Prepare(ctx, s.db); err != nil {
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
