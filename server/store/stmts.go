package store

import (
	"context"
	"database/sql"
	"fmt"
)

// hotQueries are prepared once at Open on the write connection: the push
// path runs them for every entry, and parsing SQL costs more than running it.
var hotQueries []string

func hot(q string) string {
	hotQueries = append(hotQueries, q)
	return q
}

func (s *Store) prepare(ctx context.Context) error {
	s.stmts = make(map[string]*sql.Stmt, len(hotQueries))
	for _, q := range hotQueries {
		st, err := s.w.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("store: prepare %q: %w", q, err)
		}
		s.stmts[q] = st
	}
	return nil
}

// stmt is the prepared statement of q bound to this transaction, bound once
// per transaction; nil when q is not a hot query.
func (t *Tx) stmt(q string) *sql.Stmt {
	st := t.stmts[q]
	if st == nil {
		return nil
	}
	if b := t.bound[q]; b != nil {
		return b
	}
	if t.bound == nil {
		t.bound = map[string]*sql.Stmt{}
	}
	b := t.tx.StmtContext(t.ctx, st)
	t.bound[q] = b
	return b
}

func (t *Tx) queryRow(q string, args ...any) *sql.Row {
	if st := t.stmt(q); st != nil {
		return st.QueryRowContext(t.ctx, args...)
	}
	return t.tx.QueryRowContext(t.ctx, q, args...)
}

func (t *Tx) query(q string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(q); st != nil {
		return st.QueryContext(t.ctx, args...)
	}
	return t.tx.QueryContext(t.ctx, q, args...)
}

func (t *Tx) exec(q string, args ...any) error {
	var err error
	if st := t.stmt(q); st != nil {
		_, err = st.ExecContext(t.ctx, args...)
	} else {
		_, err = t.tx.ExecContext(t.ctx, q, args...)
	}
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
