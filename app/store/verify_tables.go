package store

import (
	"bytes"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// notFromJournal are the tables that are not the journal's projection: the
// reference data pulled from the server and the counter's bookkeeping.
// Every other table of the schema is rebuilt from the journal and compared,
// so a projection added later is checked with no new code here.
var notFromJournal = map[string]bool{
	"identity": true, "settings": true, "agents": true, "households": true, "invoices": true,
	"catalogue": true, "sync_state": true, "verified": true,
}

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

// tables compares every journal table of the file with the rebuilt one,
// row by row in key order, and names each difference.
func (k *check) tables(from int64) error {
	ts, err := journalTables(k.fresh.db)
	if err != nil {
		return fmt.Errorf("verify: schema of the rebuilt database: %w", err)
	}
	var found []Problem
	for _, t := range ts {
		since := from
		if k.full[t.name] {
			since = 1
		}
		ps, err := k.compare(t, since)
		if err != nil {
			return err
		}
		found = append(found, ps...)
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].Seq < found[j].Seq })
	for _, p := range found {
		if p.Seq > 0 {
			p.Kind, p.ID = k.entryAt(p.Seq)
		}
		k.r.add(p)
	}
	return nil
}

// cursor walks one side of a comparison.
type cursor struct {
	rows  *sql.Rows
	vals  []any
	ptrs  []any
	raw   any // the owner seq as stored: NULL in a tampered row
	owner int64
	ok    bool
	err   error
}

func (c *cursor) next(n int) {
	c.ok = c.rows.Next()
	if !c.ok {
		c.err = c.rows.Err()
		return
	}
	if c.ptrs == nil {
		// One buffer for the walk: a row is compared and reported before
		// the next is read.
		c.vals, c.ptrs = make([]any, n), make([]any, n+1)
		for i := range c.vals {
			c.ptrs[i] = &c.vals[i]
		}
		c.ptrs[n] = &c.raw
	}
	c.err = c.rows.Scan(c.ptrs...)
	c.ok = c.err == nil
	c.owner, _ = c.raw.(int64)
}

// compare merges the file's rows and the rebuilt rows of t, both in key
// order. It returns at most maxProblems problems for the table.
func (k *check) compare(t table, from int64) ([]Problem, error) {
	q, args := t.query(from)
	wantRows, err := k.fresh.db.QueryContext(k.ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("verify: rebuilt %s: %w", t.name, err)
	}
	defer wantRows.Close()
	gotRows, err := k.src.tx.QueryContext(k.ctx, q, args...)
	if err != nil {
		// The schema check says why (a column or the table is missing).
		return []Problem{{Table: t.name, Motif: fmt.Sprintf("la table %s ne peut pas être lue comme la caisse la lit (%v)", t.name, err)}}, nil
	}
	defer gotRows.Close()
	want, got := &cursor{rows: wantRows}, &cursor{rows: gotRows}
	n := len(t.cols)
	want.next(n)
	got.next(n)
	var out []Problem
	for (want.ok || got.ok) && len(out) < maxProblems {
		c := 0
		switch {
		case !got.ok:
			c = -1
		case !want.ok:
			c = 1
		default:
			c = compareKeys(t, want.vals, got.vals)
		}
		switch {
		case c < 0:
			out = append(out, Problem{Seq: want.owner, Table: t.name, Key: t.keyText(want.vals),
				Motif: fmt.Sprintf("table %s : la ligne %s que cette entrée enregistre manque au fichier", t.name, t.keyText(want.vals))})
			want.next(n)
		case c > 0:
			out = append(out, Problem{Seq: got.owner, Table: t.name, Key: t.keyText(got.vals),
				Motif: fmt.Sprintf("table %s : la ligne %s n'a été enregistrée par aucune entrée du journal", t.name, t.keyText(got.vals))})
			got.next(n)
		default:
			for i, col := range t.cols {
				if !sameValue(want.vals[i], got.vals[i]) {
					out = append(out, Problem{Seq: want.owner, Table: t.name, Key: t.keyText(want.vals), Column: col,
						Motif: fmt.Sprintf("table %s, ligne %s, colonne %s : le fichier dit %s, le journal dit %s",
							t.name, t.keyText(want.vals), col, showValue(got.vals[i]), showValue(want.vals[i]))})
				}
			}
			want.next(n)
			got.next(n)
		}
	}
	if want.err != nil {
		return nil, fmt.Errorf("verify: rebuilt %s: %w", t.name, want.err)
	}
	if got.err != nil {
		out = append(out, Problem{Table: t.name, Motif: fmt.Sprintf("la table %s est illisible (%v)", t.name, got.err)})
	}
	return out, nil
}

func (t *table) keyText(vals []any) string {
	parts := make([]string, len(t.key))
	for i, k := range t.key {
		parts[i] = t.cols[k] + "=" + showValue(vals[k])
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func compareKeys(t table, a, b []any) int {
	for _, k := range t.key {
		if c := compareValues(a[k], b[k]); c != 0 {
			return c
		}
	}
	return 0
}

// rank orders SQLite's storage classes as ORDER BY does: NULL, numbers,
// text, blobs.
func rank(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case int64, float64:
		return 1
	case string:
		return 2
	default:
		return 3
	}
}

// compareValues orders two values as SQLite's ORDER BY with the BINARY
// collation does, so that both sides of the merge agree.
func compareValues(a, b any) int {
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return ra - rb
	}
	switch x := a.(type) {
	case int64:
		return compareNumbers(float64(x), x, b)
	case float64:
		return compareNumbers(x, 0, b)
	case string:
		return strings.Compare(x, b.(string))
	case []byte:
		return bytes.Compare(x, b.([]byte))
	}
	return 0
}

func compareNumbers(af float64, ai int64, b any) int {
	if bi, ok := b.(int64); ok && af == float64(ai) {
		switch {
		case ai < bi:
			return -1
		case ai > bi:
			return 1
		}
		return 0
	}
	bf, _ := b.(float64)
	if bi, ok := b.(int64); ok {
		bf = float64(bi)
	}
	switch {
	case af < bf:
		return -1
	case af > bf:
		return 1
	}
	return 0
}

// sameValue is equality of value and storage class: 1000 and '1000' differ,
// for the counter would read them differently in some query.
func sameValue(a, b any) bool {
	if rank(a) != rank(b) {
		return false
	}
	switch x := a.(type) {
	case []byte:
		return bytes.Equal(x, b.([]byte))
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	}
	return a == b
}

func showValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		if r := []rune(x); len(r) > 60 {
			x = string(r[:57]) + "…"
		}
		return "« " + x + " »"
	case []byte:
		return fmt.Sprintf("blob %x", x)
	}
	return fmt.Sprint(v)
}

// FromJournal tells whether verify rebuilds table from the journal: every
// table but the reference data and the counter's bookkeeping.
func FromJournal(table string) bool {
	return !notFromJournal[table] && !strings.HasPrefix(table, "sqlite_")
}
