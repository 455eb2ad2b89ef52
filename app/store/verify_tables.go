package store

import (
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

// FromJournal tells whether verify rebuilds table from the journal: every
// table but the reference data and the counter's bookkeeping.
func FromJournal(table string) bool {
	return !notFromJournal[table] && !strings.HasPrefix(table, "sqlite_")
}
