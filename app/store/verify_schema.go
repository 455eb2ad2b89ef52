package store

import (
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// schemaObject is one entry of sqlite_master: a table, index, trigger or
// view, with its SQL normalised for whitespace.
type schemaObject struct {
	kind, name, table, sql string
}

// normalizeSQL drops comments and collapses runs of whitespace, so that
// only a change of meaning counts, not of layout or of a comment reworded
// in a migration since the file was made.
func normalizeSQL(s string) string {
	var b strings.Builder
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			c = ' '
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				i = len(s)
			} else {
				i += end + 3
			}
			c = ' '
		}
		b.WriteByte(c)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func readSchema(q interface {
	Query(string, ...any) (*sql.Rows, error)
}) (map[string]schemaObject, error) {
	rows, err := q.Query(`SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]schemaObject{}
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.kind, &o.name, &o.table, &o.sql); err != nil {
			return nil, err
		}
		if strings.HasPrefix(o.name, "sqlite_stat") {
			continue // statistics ANALYZE may keep: not part of the schema's meaning
		}
		o.sql = normalizeSQL(o.sql)
		out[o.kind+" "+o.name] = o
	}
	return out, rows.Err()
}

// txQuerier lets readSchema run in the checked file's read transaction.
type txQuerier struct{ k *check }

func (q txQuerier) Query(s string, args ...any) (*sql.Rows, error) {
	return q.k.src.tx.QueryContext(q.k.ctx, s, args...)
}

var kindFR = map[string]string{"table": "la table", "index": "l'index", "trigger": "le déclencheur", "view": "la vue"}

// schema compares the file's tables, indexes, triggers and views, their
// SQL included, with those the shipped migrations make, and its
// application_id and migration version with the rebuilt database's.
func (k *check) schema() error {
	want, err := readSchema(k.fresh.db)
	if err != nil {
		return fmt.Errorf("verify: rebuilt schema: %w", err)
	}
	got, err := readSchema(txQuerier{k})
	if err != nil {
		return fmt.Errorf("verify: schema: %w", err)
	}
	var keys []string
	for key := range want {
		keys = append(keys, key)
	}
	for key := range got {
		if _, ok := want[key]; !ok {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	for _, key := range keys {
		w, inWant := want[key]
		g, inGot := got[key]
		o := w
		if !inWant {
			o = g
		}
		what := fmt.Sprintf("%s %s", kindFR[o.kind], o.name)
		if kindFR[o.kind] == "" {
			what = o.kind + " " + o.name
		}
		switch {
		case !inGot:
			k.r.add(Problem{Table: o.table, Motif: fmt.Sprintf("schéma : %s manque (supprimé%s du fichier)", what, feminine(o.kind))})
		case !inWant:
			k.r.add(Problem{Table: o.table, Motif: fmt.Sprintf("schéma : %s n'existe pas dans le schéma livré (ajouté%s au fichier)", what, feminine(o.kind))})
		case w.sql != g.sql || w.table != g.table:
			k.r.add(Problem{Table: o.table, Motif: fmt.Sprintf("schéma : %s a été modifié%s (« %s » au lieu de « %s »)", what, feminine(o.kind), g.sql, w.sql)})
		}
	}
	for _, pragma := range []string{"application_id", "user_version"} {
		var w, g int64
		if err := k.fresh.db.QueryRowContext(k.ctx, "PRAGMA "+pragma).Scan(&w); err != nil {
			return fmt.Errorf("verify: %s: %w", pragma, err)
		}
		if err := k.src.tx.QueryRowContext(k.ctx, "PRAGMA "+pragma).Scan(&g); err != nil {
			return fmt.Errorf("verify: %s: %w", pragma, err)
		}
		if w != g {
			k.r.add(Problem{Motif: fmt.Sprintf("schéma : PRAGMA %s vaut %d, %d attendu", pragma, g, w)})
		}
	}
	return nil
}

func feminine(kind string) string {
	if kind == "table" || kind == "vue" || kind == "view" {
		return "e"
	}
	return ""
}
