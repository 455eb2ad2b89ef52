package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/regie-fr/regie/app/store"
)

// column is one column of a journal table in a day's file.
type column struct {
	table, name, kind string
	key               bool
}

// journalColumns lists every column of every table verify rebuilds, read
// from the file's own schema: a table or column added later is attacked
// here with no new test code.
func journalColumns(t testing.TB, path string) []column {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT m.name, c.name, c.type, c.pk FROM sqlite_master m, pragma_table_info(m.name) c
		WHERE m.type = 'table' ORDER BY m.name, c.cid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []column
	for rows.Next() {
		var c column
		var pk int
		if err := rows.Scan(&c.table, &c.name, &c.kind, &pk); err != nil {
			t.Fatal(err)
		}
		c.key = pk > 0
		if store.FromJournal(c.table) {
			out = append(out, c)
		}
	}
	return out
}

// TestVerifyNamesEveryTamperedColumn changes one value of every column of
// every table the counter reads, behind the triggers' back and with the
// journal intact, and checks that verify names the table and the column
// (or, for a key column, the row that is no longer the journal's).
func TestVerifyNamesEveryTamperedColumn(t *testing.T) {
	orig := dayFile(t)
	cols := journalColumns(t, orig)
	tables := map[string]bool{}
	for _, c := range cols {
		tables[c.table] = true
	}
	for _, want := range []string{"journal", "sessions", "payments", "tenders", "allocations", "cancellations",
		"reprints", "logins", "closings", "deposits", "deposit_checks", "checks_held"} {
		if !tables[want] {
			t.Fatalf("table %s is not compared by verify", want)
		}
	}
	keys := map[string][]string{}
	for _, c := range cols {
		if c.key {
			keys[c.table] = append(keys[c.table], fmt.Sprintf("%q", c.name))
		}
	}
	for _, c := range cols {
		t.Run(c.table+"."+c.name, func(t *testing.T) {
			path := copyFile(t, orig)
			change := fmt.Sprintf(`%q || 'x'`, c.name)
			if c.kind == "INTEGER" {
				change = fmt.Sprintf(`%q + 1000`, c.name)
			}
			key := strings.Join(keys[c.table], ", ")
			tamper(t, path, fmt.Sprintf(`UPDATE %q SET %q = %s WHERE (%s) = (SELECT %s FROM %q ORDER BY %s LIMIT 1)`,
				c.table, c.name, change, key, key, c.table, key))
			r, err := store.Verify(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if r.OK() {
				t.Fatal("verify found nothing")
			}
			if !slices.ContainsFunc(r.Problems, func(p store.Problem) bool {
				return p.Table == c.table && (p.Column == c.name || c.key && p.Column == "") ||
					c.table == "journal" && p.Seq > 0
			}) {
				t.Fatalf("no problem names %s.%s: %v", c.table, c.name, r.Problems)
			}
		})
	}
}
