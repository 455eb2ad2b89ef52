package store

import (
	"context"
	"database/sql"
	"regexp"
)

// Exec, Query and QueryRow run one statement written in SQLite's dialect
// on the database, whichever it is, outside the store's methods: for the
// tests that tamper with what the store wrote (to prove verify catches
// it) and for tools. On PostgreSQL, dropping one of SQLite's append-only
// triggers disables the table's append-only trigger instead, so a
// tampering test reads the same on both.
func (s *Store) Exec(q string, args ...any) (sql.Result, error) {
	q, args = s.raw(q, args)
	return s.w.ExecContext(context.Background(), q, args...)
}

// Query: see Exec.
func (s *Store) Query(q string, args ...any) (*sql.Rows, error) {
	q, args = s.raw(q, args)
	return s.w.QueryContext(context.Background(), q, args...)
}

// QueryRow: see Exec.
func (s *Store) QueryRow(q string, args ...any) *sql.Row {
	q, args = s.raw(q, args)
	return s.w.QueryRowContext(context.Background(), q, args...)
}

var dropAppendOnly = regexp.MustCompile(`^DROP TRIGGER (?:IF EXISTS )?(\w+)_no_(?:update|delete)$`)

func (s *Store) raw(q string, args []any) (string, []any) {
	if !s.pg {
		return q, args
	}
	if m := dropAppendOnly.FindStringSubmatch(q); m != nil {
		return `ALTER TABLE ` + m[1] + ` DISABLE TRIGGER ` + m[1] + `_append_only`, nil
	}
	return toPostgres(q), postgresArgs(args)
}
