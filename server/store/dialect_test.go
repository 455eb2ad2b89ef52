package store

import (
	"strconv"
	"strings"
	"testing"
)

// TestToPostgres: each construct of SQLite's dialect the store uses comes
// out as PostgreSQL spells it, and nothing inside quoted text changes.
func TestToPostgres(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		{`SELECT ?1, ?2, ?1`, `SELECT $1, $2, $1`},
		{`SELECT '?' || ? FROM t WHERE x = 'it''s ?'`, `SELECT '?' || $1 FROM t WHERE x = 'it''s ?'`},
		{`SELECT 1 FROM journal INDEXED BY journal_closing_days WHERE x = 1`, `SELECT 1 FROM journal WHERE x = 1`},
		{`SELECT json_extract(j.data, '$.day') FROM journal j`, `SELECT ((j.data)::jsonb ->> 'day') FROM journal j`},
		{`SELECT data ->> '$.receipt' FROM journal`, `SELECT ((data)::jsonb ->> 'receipt') FROM journal`},
		{`SELECT c.value ->> '$.mode' FROM journal j, json_each(j.data, '$.tenders') c`,
			`SELECT ((c.value)::jsonb ->> 'mode') FROM journal j, LATERAL (SELECT e.value, e.n - 1 AS key FROM jsonb_array_elements((j.data)::jsonb -> 'tenders') WITH ORDINALITY AS e(value, n)) c`},
		{`SELECT 1 WHERE instr(data, 'check') > 0`, `SELECT 1 WHERE strpos(data, 'check') > 0`},
		{`SELECT * FROM (SELECT id FROM a) x CROSS JOIN payments p ON p.id = x.id`, `SELECT * FROM (SELECT id FROM a) x JOIN payments p ON p.id = x.id`},
		{`SELECT count(*) FROM (SELECT 1 FROM t WHERE a IN (SELECT b FROM u))`, `SELECT count(*) FROM (SELECT 1 FROM t WHERE a IN (SELECT b FROM u)) AS sub1`},
		{`SELECT s FROM (SELECT s FROM (SELECT 1 AS s)) GROUP BY s`, `SELECT s FROM (SELECT s FROM (SELECT 1 AS s) AS sub1) AS sub1 GROUP BY s`},
		{`SELECT x FROM (SELECT 1 AS x) AS y`, `SELECT x FROM (SELECT 1 AS x) AS y`},
	} {
		if got := toPostgres(c.in); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

// TestPostgresArgs: booleans become the 0 and 1 the columns hold, and the
// caller's slice is left as it was.
func TestPostgresArgs(t *testing.T) {
	in := []any{"a", true, int64(3), false}
	out := postgresArgs(in)
	if out[1] != int64(1) || out[3] != int64(0) || out[0] != "a" || out[2] != int64(3) {
		t.Errorf("%v", out)
	}
	if in[1] != true || in[3] != false {
		t.Errorf("the caller's arguments changed: %v", in)
	}
}

// FuzzToPostgres: whatever the query, the rewrite never panics, keeps
// quoted text whole, and numbers as many parameters as there were
// unnumbered question marks outside quotes.
func FuzzToPostgres(f *testing.F) {
	for _, s := range []string{`SELECT ? FROM (SELECT 1) WHERE a = '?'`, `SELECT json_extract(d, '$.x') FROM t INDEXED BY i`,
		`FROM ((`, `'unterminated ? `, `SELECT ?12 FROM x`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		out := numberParams(aliasSubqueries(q))
		if strings.Count(out, "'") != strings.Count(q, "'") {
			t.Fatalf("quotes changed: %q → %q", q, out)
		}
		if strings.Contains(q, "$") || strings.Contains(q, `"`) {
			return // the count below is for queries without either
		}
		want := 0
		inQuote := false
		for i := 0; i < len(q); i++ {
			switch {
			case q[i] == '\'':
				inQuote = !inQuote
			case q[i] == '?' && !inQuote && (i+1 >= len(q) || q[i+1] < '0' || q[i+1] > '9'):
				want++
			}
		}
		if strings.Count(out, "$") < want {
			t.Fatalf("%d parameters in %q, %d in %q", want, q, strings.Count(out, "$"), out)
		}
	})
}

// TestMigrationsInPairs: after PostgreSQL's first schema (the SQLite
// file's at that version), every migration has its twin in the other
// folder, under the same number, so both stores end at the same version.
func TestMigrationsInPairs(t *testing.T) {
	number := func(name string) int {
		n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			t.Fatalf("migration %s: no number", name)
		}
		return n
	}
	pg, err := pgMigrationNames()
	if err != nil {
		t.Fatal(err)
	}
	first := number(pg[0])
	twins := map[int]bool{}
	for _, name := range pg[1:] {
		twins[number(name)] = true
	}
	for _, name := range Pending(first) {
		if !twins[number(name)] {
			t.Errorf("%s has no PostgreSQL twin in migrations_pg/", name)
		}
		delete(twins, number(name))
	}
	for n := range twins {
		t.Errorf("migrations_pg/ has %04d, which SQLite's folder has not", n)
	}
}
