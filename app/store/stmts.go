package store

import (
	"context"
	"database/sql"
	"fmt"
)

// hotQueries are the statements on the path from the validate key to the
// receipt number. Parsing SQL costs more than running these statements, so
// Open prepares them once on the store's single connection and each
// transaction reuses them.
var hotQueries []string

// hot registers q as a statement to prepare at Open.
func hot(q string) string {
	hotQueries = append(hotQueries, q)
	return q
}

func (s *Store) prepare(ctx context.Context) error {
	s.stmts = make(map[string]*sql.Stmt, len(hotQueries))
	for _, q := range hotQueries {
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("store: prepare %q: %w", q, err)
		}
		s.stmts[q] = st
	}
	return nil
}

func (t *Tx) queryRow(q string, args ...any) *sql.Row {
	if st := t.stmts[q]; st != nil {
		return t.tx.StmtContext(t.ctx, st).QueryRowContext(t.ctx, args...)
	}
	return t.tx.QueryRowContext(t.ctx, q, args...)
}

func (t *Tx) query(q string, args ...any) (*sql.Rows, error) {
	if st := t.stmts[q]; st != nil {
		return t.tx.StmtContext(t.ctx, st).QueryContext(t.ctx, args...)
	}
	return t.tx.QueryContext(t.ctx, q, args...)
}

func (t *Tx) exec(q string, args ...any) error {
	var err error
	if st := t.stmts[q]; st != nil {
		_, err = t.tx.StmtContext(t.ctx, st).ExecContext(t.ctx, args...)
	} else {
		_, err = t.tx.ExecContext(t.ctx, q, args...)
	}
	return err
}
