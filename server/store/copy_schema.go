package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// copyTable is one table as a copy moves it: its name, the source's
// columns in the source's order (the target has each of them), the
// target's type of each, and whether the target adds a rowid identity
// column that SQLite's own rowid fills.
type copyTable struct {
	name     string
	cols     []string
	types    []string
	rowid    bool
	identity []string // the target's identity columns, whose sequences follow the copied values
}

// targetOnly are the tables only the PostgreSQL schema has: its version
// (SQLite keeps it in the file's header), written by Open, never copied.
var targetOnly = []string{"regie_schema"}

// copyPlan lists the tables of the source (a SQLite read transaction) and
// matches each, column by column, with the target's (a PostgreSQL
// transaction): a table or a column on one side only is an error that
// names it, so that a schema the two programs disagree on is never copied
// in part. The tables come in foreign-key order, referenced tables first.
// Nothing is listed by hand: a table a later migration adds is copied as
// soon as both schemas have it.
func copyPlan(ctx context.Context, src, dst *sql.Tx) ([]copyTable, error) {
	names, err := column[string](ctx, src, `SELECT name FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: copy: list the source's tables: %w", err)
	}
	target, err := targetColumns(ctx, dst)
	if err != nil {
		return nil, err
	}
	deps := map[string][]string{}
	var tables []copyTable
	for _, name := range names {
		tcols, ok := target[name]
		if !ok {
			return nil, fmt.Errorf("store: copy: table %s of the source is missing from the target", name)
		}
		t := copyTable{name: name}
		scols, err := column[string](ctx, src, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, name)
		if err != nil {
			return nil, fmt.Errorf("store: copy: columns of %s: %w", name, err)
		}
		for _, c := range scols {
			tc, ok := tcols[c]
			if !ok {
				return nil, fmt.Errorf("store: copy: column %s.%s of the source is missing from the target", name, c)
			}
			t.cols, t.types = append(t.cols, c), append(t.types, tc.typ)
		}
		for c, tc := range tcols {
			if tc.identity {
				t.identity = append(t.identity, c)
			}
			if slices.Contains(scols, c) {
				continue
			}
			if c != "rowid" || !tc.identity {
				return nil, fmt.Errorf("store: copy: column %s.%s of the target is missing from the source", name, c)
			}
			t.rowid = true
		}
		sort.Strings(t.identity)
		refs, err := column[string](ctx, src, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, name)
		if err != nil {
			return nil, fmt.Errorf("store: copy: foreign keys of %s: %w", name, err)
		}
		deps[name] = append(deps[name], refs...)
		tables = append(tables, t)
	}
	for name := range target {
		if !slices.Contains(names, name) && !slices.Contains(targetOnly, name) {
			return nil, fmt.Errorf("store: copy: table %s of the target is missing from the source", name)
		}
	}
	rows, err := dst.QueryContext(ctx, `SELECT a.relname, b.relname FROM pg_constraint c
		JOIN pg_class a ON a.oid = c.conrelid JOIN pg_class b ON b.oid = c.confrelid
		WHERE c.contype = 'f' AND a.relnamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, fmt.Errorf("store: copy: the target's foreign keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			return nil, fmt.Errorf("store: copy: the target's foreign keys: %w", err)
		}
		deps[from] = append(deps[from], to)
	}
	return fkOrder(tables, deps), rows.Err()
}

type targetColumn struct {
	typ      string // information_schema's data_type: bigint, text, bytea
	identity bool
}

// targetColumns are the columns of each base table of the target's schema.
func targetColumns(ctx context.Context, dst *sql.Tx) (map[string]map[string]targetColumn, error) {
	rows, err := dst.QueryContext(ctx, `SELECT c.table_name, c.column_name, c.data_type, c.is_identity = 'YES'
		FROM information_schema.columns c JOIN information_schema.tables t
			ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`)
	if err != nil {
		return nil, fmt.Errorf("store: copy: list the target's columns: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]targetColumn{}
	for rows.Next() {
		var table, col string
		var c targetColumn
		if err := rows.Scan(&table, &col, &c.typ, &c.identity); err != nil {
			return nil, fmt.Errorf("store: copy: list the target's columns: %w", err)
		}
		if out[table] == nil {
			out[table] = map[string]targetColumn{}
		}
		out[table][col] = c
	}
	return out, rows.Err()
}

// fkOrder sorts tables so that each comes after the tables it references
// (by name among those free to go), whichever side declares the key. A
// cycle, which neither schema has, leaves its tables in name order at the
// end: with triggers off they still copy, and otherwise the target says
// which key failed.
func fkOrder(tables []copyTable, deps map[string][]string) []copyTable {
	byName := map[string]copyTable{}
	for _, t := range tables {
		byName[t.name] = t
	}
	done := map[string]bool{}
	var out []copyTable
	for len(out) < len(tables) {
		progress := false
		for _, t := range tables { // tables are in name order
			if done[t.name] {
				continue
			}
			ready := true
			for _, d := range deps[t.name] {
				if _, known := byName[d]; known && d != t.name && !done[d] {
					ready = false
					break
				}
			}
			if ready {
				done[t.name], progress = true, true
				out = append(out, t)
				break
			}
		}
		if !progress {
			for _, t := range tables {
				if !done[t.name] {
					done[t.name] = true
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// column reads a one-column query whole.
func column[T any](ctx context.Context, tx *sql.Tx, q string, args ...any) ([]T, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// quoteIdent quotes a table or column name for either database.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
