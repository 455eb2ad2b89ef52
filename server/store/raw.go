package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
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

// Dump is every row of every table but those named in skip, as text in a
// stable order (tables by name, rows sorted): two equal dumps mean the
// database did not change, which is how tests prove that a refused
// request wrote nothing.
func (s *Store) Dump(skip ...string) (string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if s.pg {
		q = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	names, err := s.Query(q)
	if err != nil {
		return "", err
	}
	var tables []string
	for names.Next() {
		var n string
		if err := names.Scan(&n); err != nil {
			names.Close()
			return "", err
		}
		if !slices.Contains(skip, n) {
			tables = append(tables, n)
		}
	}
	names.Close()
	var out strings.Builder
	for _, tb := range tables {
		rows, err := s.Query(`SELECT * FROM "` + tb + `"`)
		if err != nil {
			return "", err
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", err
			}
			lines = append(lines, fmt.Sprintf("%q", vals))
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(&out, "%s\n%s\n", tb, strings.Join(lines, "\n"))
	}
	return out.String(), nil
}
