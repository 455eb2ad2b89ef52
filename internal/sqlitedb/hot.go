package sqlitedb

import (
	"context"
	"database/sql"
	"fmt"
)

// Hot is a set of statements a store runs on every payment or push: they
// are registered at package initialisation (q := hot.Add(`SELECT …`)),
// prepared once when the store opens, and bound to each transaction once.
type Hot struct {
	queries []string
}

// Add registers q and returns it, so a query constant is declared and
// registered in one line.
func (h *Hot) Add(q string) string {
	h.queries = append(h.queries, q)
	return q
}

// Prepared are a Hot set's statements prepared on one database handle.
type Prepared map[string]*sql.Stmt

// Prepare prepares every registered statement on db.
func (h *Hot) Prepare(ctx context.Context, db *sql.DB) (Prepared, error) {
	p := make(Prepared, len(h.queries))
	for _, q := range h.queries {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("prepare %q: %w", q, err)
		}
		p[q] = st
	}
	return p, nil
}

// Bound gives a transaction the prepared statements it uses, each bound
// once.
type Bound struct {
	tx    *sql.Tx
	ctx   context.Context
	p     Prepared
	bound map[string]*sql.Stmt
}

// Bind starts binding p's statements to tx.
func Bind(ctx context.Context, tx *sql.Tx, p Prepared) *Bound {
	return &Bound{tx: tx, ctx: ctx, p: p}
}

// stmt is q's statement bound to the transaction; nil when q is not hot.
func (b *Bound) stmt(q string) *sql.Stmt {
	st := b.p[q]
	if st == nil {
		return nil
	}
	if s := b.bound[q]; s != nil {
		return s
	}
	if b.bound == nil {
		b.bound = map[string]*sql.Stmt{}
	}
	s := b.tx.StmtContext(b.ctx, st)
	b.bound[q] = s
	return s
}

// QueryRow runs q, prepared when it is hot.
func (b *Bound) QueryRow(q string, args ...any) *sql.Row {
	if st := b.stmt(q); st != nil {
		return st.QueryRowContext(b.ctx, args...)
	}
	return b.tx.QueryRowContext(b.ctx, q, args...)
}

// Query runs q, prepared when it is hot.
func (b *Bound) Query(q string, args ...any) (*sql.Rows, error) {
	if st := b.stmt(q); st != nil {
		return st.QueryContext(b.ctx, args...)
	}
	return b.tx.QueryContext(b.ctx, q, args...)
}

// Exec runs q, prepared when it is hot.
func (b *Bound) Exec(q string, args ...any) (sql.Result, error) {
	if st := b.stmt(q); st != nil {
		return st.ExecContext(b.ctx, args...)
	}
	return b.tx.ExecContext(b.ctx, q, args...)
}
