package store

import (
	"encoding/json"
	"fmt"
	"strings"
)

// A state table is a journal table whose rows a trigger deletes: the
// cheques in the till, added with a cheque payment and taken out by its
// deposit or cancellation. Its content depends on the whole past, so the
// start check cannot rebuild it from the new entries alone: it keeps the
// table's rows at each successful start, puts them into the rebuilt
// database before the entries that came after, and compares the whole
// table.

// stateTables lists the state tables of the rebuilt database's schema.
func (k *check) stateTables() ([]table, error) {
	ts, err := journalTables(k.fresh.db)
	if err != nil {
		return nil, fmt.Errorf("store: start check: %w", err)
	}
	var out []table
	for _, t := range ts {
		var n int
		if err := k.fresh.db.QueryRowContext(k.ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'trigger'
			AND lower(sql) LIKE '%delete from ' || lower(?) || ' %'`, t.name).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: start check: %w", err)
		}
		if n > 0 {
			out = append(out, t)
		}
	}
	return out, nil
}

// seedState arranges for the state tables to be emptied and filled with
// their rows of the last start just before the first entry after it is
// replayed, and to be compared whole.
func (k *check) seedState(done verifiedState) error {
	ts, err := k.stateTables()
	if err != nil {
		return err
	}
	k.full = map[string]bool{}
	for _, t := range ts {
		k.full[t.name] = true
	}
	k.pivot = done.seq
	k.seed = func(ftx *Tx) error {
		for _, t := range ts {
			if err := ftx.exec(`DELETE FROM ` + quote(t.name)); err != nil {
				return fmt.Errorf("store: start check: seed %s: %w", t.name, err)
			}
			rows, ok := done.state[t.name]
			if !ok {
				continue
			}
			cols, vals := make([]string, len(t.cols)), make([]string, len(t.cols))
			for i, c := range t.cols {
				cols[i], vals[i] = quote(c), fmt.Sprintf("value ->> %d", i)
			}
			q := `INSERT INTO ` + quote(t.name) + ` (` + strings.Join(cols, ", ") + `) SELECT ` +
				strings.Join(vals, ", ") + ` FROM json_each(?)`
			if err := ftx.exec(q, string(rows)); err != nil {
				return fmt.Errorf("store: start check: seed %s: %w", t.name, err)
			}
		}
		return nil
	}
	return nil
}

// snapshot reads the file's state tables, just checked, as the next
// start's seed: {"table": [[v, v…], …]} with SQLite's own JSON, which
// keeps integers and text apart.
func (k *check) snapshot() (string, error) {
	ts, err := k.stateTables()
	if err != nil {
		return "", err
	}
	state := map[string]json.RawMessage{}
	for _, t := range ts {
		cols := make([]string, len(t.cols))
		for i, c := range t.cols {
			cols[i] = quote(c)
		}
		var rows string
		q := `SELECT coalesce(json_group_array(json_array(` + strings.Join(cols, ", ") + `)), '[]') FROM ` + quote(t.name)
		if err := k.src.tx.QueryRowContext(k.ctx, q).Scan(&rows); err != nil {
			return "", fmt.Errorf("store: start check: snapshot %s: %w", t.name, err)
		}
		state[t.name] = json.RawMessage(rows)
	}
	versions, err := json.Marshal(k.v.versions)
	if err != nil {
		return "", fmt.Errorf("store: start check: snapshot settings: %w", err)
	}
	state[settingsKey] = versions
	b, err := json.Marshal(state)
	return string(b), err
}
