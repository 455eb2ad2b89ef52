package store

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The store's SQL is written once, in SQLite's dialect, and rewritten for
// PostgreSQL when it first runs there: one set of queries means one set of
// rules on every write path, whichever database a city chose. The rewrite
// covers the few constructs the queries use that PostgreSQL spells
// otherwise; a query outside them fails loudly in the PostgreSQL test run
// (make test runs the whole server suite on both), never silently.

// postgresRewrites are applied in order; each names what SQLite wrote.
var postgresRewrites = []struct {
	re   *regexp.Regexp
	repl string
}{
	// A planner hint SQLite needs and PostgreSQL's planner does not take.
	{regexp.MustCompile(`\s+INDEXED BY \w+`), ""},
	// A JSON array as rows: the element and its index (from 0, as SQLite's
	// key), in a lateral subquery PostgreSQL joins like json_each.
	{regexp.MustCompile(`json_each\(([\w.]+), '\$\.(\w+)'\) (\w+)`),
		`LATERAL (SELECT e.value, e.n - 1 AS key FROM jsonb_array_elements(($1)::jsonb -> '$2') WITH ORDINALITY AS e(value, n)) $3`},
	// A field of a JSON document as text. The store's documents hold the
	// fields it reads this way as strings, so text compares and sorts the
	// same on both databases.
	{regexp.MustCompile(`json_extract\(([\w.]+), '\$\.(\w+)'\)`), `(($1)::jsonb ->> '$2')`},
	{regexp.MustCompile(`([\w.]+) ->> '\$\.(\w+)'`), `(($1)::jsonb ->> '$2')`},
	{regexp.MustCompile(`\binstr\(`), `strpos(`},
	// SQLite's CROSS JOIN fixes the join order and takes an ON;
	// PostgreSQL's takes none (its planner orders joins by itself).
	{regexp.MustCompile(`CROSS JOIN (\w+ \w+) ON`), `JOIN $1 ON`},
}

// postgresArgs are a query's arguments as PostgreSQL takes them: the
// store keeps booleans as 0 and 1 in integer columns (SQLite has no other
// kind), and pgx will not write a Go bool into one.
func postgresArgs(args []any) []any {
	copied := false
	for i, a := range args {
		if v, ok := a.(bool); ok {
			if !copied { // never change the caller's slice
				args, copied = append([]any(nil), args...), true
			}
			args[i] = boolInt(v)
		}
	}
	return args
}

func boolInt(v bool) int64 {
	if v {
		return 1
	}
	return 0
}

var postgresCache sync.Map // SQLite query → PostgreSQL query

// toPostgres rewrites a query of the store for PostgreSQL: the constructs
// above, then the positional parameters (? becomes $1, $2…), outside
// quoted text.
func toPostgres(q string) string {
	if pq, ok := postgresCache.Load(q); ok {
		return pq.(string)
	}
	out := q
	for _, r := range postgresRewrites {
		out = r.re.ReplaceAllString(out, r.repl)
	}
	out = aliasSubqueries(out)
	out = numberParams(out)
	postgresCache.Store(q, out)
	return out
}

// numberParams turns each ? outside a quoted string or identifier into
// $n, numbered from 1 in order.
func numberParams(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0 // a doubled quote closes and reopens: same result
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			if j > i+1 { // ?NNN names its parameter: $NNN
				b.WriteString("$" + q[i+1:j])
				i = j - 1
				continue
			}
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// notAlias are the words that may follow a subquery in FROM when it has
// no alias of its own.
var notAlias = map[string]bool{"": true, "WHERE": true, "GROUP": true, "ORDER": true, "LIMIT": true, "UNION": true,
	"EXCEPT": true, "INTERSECT": true, "JOIN": true, "LEFT": true, "CROSS": true, "INNER": true, "ON": true,
	"HAVING": true, "OFFSET": true, "WINDOW": true}

var fromParen = regexp.MustCompile(`(?i)\b(FROM|JOIN)\s*\(`)

// aliasSubqueries names every subquery of a FROM or JOIN clause that has
// no name: PostgreSQL before version 16 requires one, SQLite does not.
func aliasSubqueries(q string) string {
	var b strings.Builder
	n := 0
	for {
		loc := fromParen.FindStringIndex(q)
		if loc == nil {
			b.WriteString(q)
			return b.String()
		}
		open := loc[1] - 1
		end := matchParen(q, open)
		if end < 0 {
			b.WriteString(q)
			return b.String()
		}
		// The subquery itself may hold subqueries: rewrite it first.
		b.WriteString(q[:open+1])
		b.WriteString(aliasSubqueries(q[open+1 : end]))
		b.WriteByte(')')
		rest := q[end+1:]
		word := strings.ToUpper(firstWord(rest))
		if notAlias[word] || strings.HasPrefix(strings.TrimSpace(rest), ")") || strings.HasPrefix(strings.TrimSpace(rest), ",") {
			n++
			b.WriteString(" AS sub" + strconv.Itoa(n))
		}
		q = rest
	}
}

// matchParen is the index of the parenthesis closing the one at open, -1
// when there is none; quoted text is skipped.
func matchParen(q string, open int) int {
	depth := 0
	var quote byte
	for i := open; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func firstWord(s string) string {
	s = strings.TrimLeft(s, " \t\r\n")
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
		i++
	}
	return s[:i]
}
