package store

import (
	"database/sql"
	"fmt"
	"strings"
)

// table is what the comparison needs to know of a table, read from the
// rebuilt database's schema.
type table struct {
	name string
	cols []string // every column, in order
	key  []int    // indexes in cols of the primary key (every column when none)
	// owner is an SQL expression giving the journal seq a row belongs to:
	// its seq column, or the largest seq of the rows it references (a
	// tender belongs to its payment, a deposited cheque to its deposit).
	owner string
	// since is the condition, with one ? per occurrence of the seq, that
	// keeps the rows of the entries from a seq on, through the journal's
	// index where the row is keyed by its entry's id (a payment's id is its
	// entry's): the start check reads a day's rows, not the whole table.
	since string
	args  int
}

// journalTables lists the tables to compare, from the rebuilt database.
func journalTables(db *sql.DB) ([]table, error) {
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		if !notFromJournal[n] {
			names = append(names, n)
		}
	}
	rows.Close()
	hasSeq := map[string]bool{}
	out := make([]table, 0, len(names))
	for _, n := range names {
		t, err := describe(db, n)
		if err != nil {
			return nil, err
		}
		for _, c := range t.cols {
			hasSeq[n] = hasSeq[n] || c == "seq"
		}
		out = append(out, t)
	}
	for i := range out {
		if err := out[i].findOwner(db, hasSeq); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func describe(db *sql.DB, name string) (table, error) {
	t := table{name: name}
	rows, err := db.Query(`SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`, name)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	pk := map[int]int{}
	for rows.Next() {
		var c string
		var p int
		if err := rows.Scan(&c, &p); err != nil {
			return t, err
		}
		if p > 0 {
			pk[p] = len(t.cols)
		}
		t.cols = append(t.cols, c)
	}
	for i := 1; i <= len(pk); i++ {
		t.key = append(t.key, pk[i])
	}
	if len(t.key) == 0 {
		for i := range t.cols {
			t.key = append(t.key, i)
		}
	}
	return t, rows.Err()
}

// sinceJournal selects the ids of the entries from a seq on.
const sinceJournal = " IN (SELECT id FROM journal WHERE seq >= ?)"

func (t *table) findOwner(db *sql.DB, hasSeq map[string]bool) error {
	if hasSeq[t.name] {
		t.owner, t.since, t.args = "seq", "t.seq >= ?", 1
		if len(t.key) == 1 && t.cols[t.key[0]] == "id" && t.name != "journal" {
			t.since = "t.id" + sinceJournal
		}
		return nil
	}
	rows, err := db.Query(`SELECT "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq`, t.name)
	if err != nil {
		return err
	}
	defer rows.Close()
	var parts, since []string
	for rows.Next() {
		var parent, from string
		var to sql.NullString
		if err := rows.Scan(&parent, &from, &to); err != nil {
			return err
		}
		if hasSeq[parent] && to.Valid {
			parts = append(parts, fmt.Sprintf("coalesce((SELECT p.seq FROM %s p WHERE p.%s = t.%s), 0)",
				quote(parent), quote(to.String), quote(from)))
			if to.String == "id" {
				since = append(since, "t."+quote(from)+sinceJournal)
			} else {
				since = append(since, fmt.Sprintf("(SELECT p.seq FROM %s p WHERE p.%s = t.%s) >= ?", quote(parent), quote(to.String), quote(from)))
			}
		}
	}
	switch len(parts) {
	case 0:
		t.owner, t.since = "0", "0"
	case 1:
		t.owner = parts[0]
	default:
		t.owner = "max(" + strings.Join(parts, ", ") + ")"
	}
	if len(since) > 0 {
		// The largest parent seq is ≥ from when any of them is.
		t.since, t.args = "("+strings.Join(since, " OR ")+")", len(since)
	}
	return rows.Err()
}

func quote(id string) string { return `"` + strings.ReplaceAll(id, `"`, `""`) + `"` }

// query selects every column, then the owner, ordered by key; from > 1
// keeps the rows of entries from that seq on, and its arguments are then
// those of the result.
func (t *table) query(from int64) (string, []any) {
	cols := make([]string, len(t.cols))
	for i, c := range t.cols {
		cols[i] = "t." + quote(c)
	}
	order := make([]string, len(t.key))
	for i, k := range t.key {
		order[i] = "t." + quote(t.cols[k])
	}
	q := "SELECT " + strings.Join(cols, ", ") + ", " + t.owner + " FROM " + quote(t.name) + " t"
	var args []any
	if from > 1 {
		q += " WHERE " + t.since
		for range t.args {
			args = append(args, from)
		}
	}
	return q + " ORDER BY " + strings.Join(order, ", "), args
}
