package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/store"
)

func seqOf(t testing.TB, path, query string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var seq int64
	if err := db.QueryRow(query).Scan(&seq); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return seq
}

// rehash recomputes every hash from seq on, as a forger who knows the
// algorithm would after changing an entry.
func rehash(t testing.TB, path string, from int64) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var prev string
	var stmts []string
	if err := db.QueryRow(`SELECT hash FROM journal WHERE seq = ?`, from-1).Scan(&prev); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT seq, id, counter, kind, at, agent, data FROM journal WHERE seq >= ? ORDER BY seq`, from)
	if err != nil {
		t.Fatal(err)
	}
	var es []regie.Entry
	for rows.Next() {
		var e regie.Entry
		var at, data, kind string
		if err := rows.Scan(&e.Seq, &e.ID, &e.Counter, &kind, &at, &e.Agent, &data); err != nil {
			t.Fatal(err)
		}
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		e.Kind, e.Data = regie.EntryKind(kind), json.RawMessage(data)
		es = append(es, e)
	}
	rows.Close()
	for _, e := range es {
		e.PrevHash = prev
		h, err := e.ComputeHash()
		if err != nil {
			t.Fatal(err)
		}
		stmts = append(stmts, fmt.Sprintf(`UPDATE journal SET prev_hash = '%s', hash = '%s' WHERE seq = %d`, prev, h, e.Seq))
		prev = h
	}
	db.Close()
	tamper(t, path, stmts...)
}

// TestVerifyCatchesTampering changes a counter file behind the app's back,
// with the triggers dropped, and checks that verify names the entry.
func TestVerifyCatchesTampering(t *testing.T) {
	orig := dayFile(t)
	r, err := store.Verify(context.Background(), orig)
	if err != nil || !r.OK() {
		t.Fatalf("intact file: %v %+v", err, r)
	}
	if r.Payments != 7 || r.Closings != 1 {
		t.Fatalf("report %+v", r)
	}
	p2 := `SELECT seq FROM payments WHERE receipt = 'R-ENF-C01-2026-000002'`
	p3 := `SELECT seq FROM payments WHERE receipt = 'R-ENF-C01-2026-000003'`
	cases := []struct {
		name  string
		do    func(t *testing.T, path string)
		seq   string // query giving the seq the first problem must name; "" for a table problem
		motif string
	}{
		{"amount changed in the journal", func(t *testing.T, path string) {
			tamper(t, path, `UPDATE journal SET data = replace(data, '"amount":1000', '"amount":2000') WHERE seq = (`+p2+`)`)
		}, p2, "empreinte"},
		{"amount changed in a projection", func(t *testing.T, path string) {
			tamper(t, path, `UPDATE tenders SET amount = 2000 WHERE idx = 0 AND payment_id = (SELECT id FROM payments WHERE receipt = 'R-ENF-C01-2026-000002')`)
		}, p2, "table tenders, ligne (payment_id=« "},
		{"amount changed and the chain re-hashed", func(t *testing.T, path string) {
			seq := seqOf(t, path, p2)
			tamper(t, path, fmt.Sprintf(`UPDATE journal SET data = replace(data, '"amount":1000', '"amount":2000') WHERE seq = %d`, seq))
			rehash(t, path, seq)
		}, p2, "total"},
		{"entry deleted", func(t *testing.T, path string) {
			tamper(t, path, `DELETE FROM journal WHERE seq = (`+p2+`)`)
		}, p3, "manque"},
		{"entry inserted", func(t *testing.T, path string) {
			seq := seqOf(t, path, p2)
			tamper(t, path,
				fmt.Sprintf(`UPDATE journal SET seq = seq + 1000000 WHERE seq > %d`, seq),
				`UPDATE journal SET seq = seq - 999999 WHERE seq > 1000000`,
				fmt.Sprintf(`INSERT INTO journal (seq, id, counter, kind, at, agent, data, prev_hash, hash)
					SELECT %d, 'forged', counter, 'reprint', at, agent, '{}', hash, 'x' FROM journal WHERE seq = %d`, seq+1, seq))
		}, p2 + " + 1", "empreinte"},
		{"two entries swapped", func(t *testing.T, path string) {
			seq := seqOf(t, path, p2)
			tamper(t, path,
				fmt.Sprintf(`UPDATE journal SET seq = -1 WHERE seq = %d`, seq),
				fmt.Sprintf(`UPDATE journal SET seq = %d WHERE seq = %d`, seq, seq+1),
				fmt.Sprintf(`UPDATE journal SET seq = %d WHERE seq = -1`, seq+1))
		}, p2, "précédente"},
		{"payment row slipped into the table", func(t *testing.T, path string) {
			tamper(t, path, `INSERT INTO payments SELECT 'slipped', (SELECT max(seq) FROM journal WHERE kind = 'login'),
				'R-ENF-C01-2026-000099', 2026, 99, session_id, day, at, agent, household_id, payer, 1000 FROM payments LIMIT 1`)
		}, "", "aucune entrée du journal"},
		{"a cheque taken off the till's list", func(t *testing.T, path string) {
			tamper(t, path, `DELETE FROM checks_held WHERE payment_id = (SELECT id FROM payments WHERE receipt = 'R-ENF-C01-2026-000002')`)
		}, p2, "table checks_held : la ligne"},
		{"receipt renumbered and re-hashed", func(t *testing.T, path string) {
			seq := seqOf(t, path, p3)
			tamper(t, path, fmt.Sprintf(`UPDATE journal SET data = replace(data, '2026-000003', '2026-000004') WHERE seq = %d`, seq))
			rehash(t, path, seq)
		}, p3, "numéro 3 était attendu"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := copyFile(t, orig)
			want := int64(0)
			if tc.seq != "" {
				q := tc.seq
				extra := int64(0)
				if strings.HasSuffix(q, " + 1") {
					q, extra = strings.TrimSuffix(q, " + 1"), 1
				}
				want = seqOf(t, path, q) + extra
			}
			tc.do(t, path)
			r, err := store.Verify(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if r.OK() {
				t.Fatal("verify found nothing")
			}
			for _, p := range r.Problems {
				if (want == 0 || p.Seq == want) && strings.Contains(p.String(), tc.motif) {
					return
				}
			}
			t.Fatalf("no problem at entry %d says %q: %v", want, tc.motif, r.Problems)
		})
	}
}
