package store

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store/storetest"
)

// problems runs verify and gives every problem's message.
func problems(t *testing.T, st *Store) []string {
	t.Helper()
	reports, err := st.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range reports {
		for _, p := range r.Problems {
			out = append(out, r.Counter+": "+p.Message)
		}
	}
	return out
}

func exec(t *testing.T, st *Store, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := st.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestVerifyComparesSearchTables: verify rebuilds payment_modes from the
// journals and household_words from the households' names, and reports any
// row changed, added or missing behind the program's back.
func TestVerifyComparesSearchTables(t *testing.T) {
	cases := []struct {
		name, want string
		tamper     []string
	}{
		{"mode changed", "C02: table payment_modes, ligne E2", []string{`DROP TRIGGER payment_modes_no_update`,
			`UPDATE payment_modes SET modes = 1 WHERE payment_id = 'E2'`}},
		{"mode row added", "tables: table payment_modes, ligne ghost", []string{`INSERT INTO payment_modes VALUES ('ghost', 4)`}},
		{"mode row missing", "tables: table payment_modes : la ligne P1 du journal manque", []string{`DROP TRIGGER payment_modes_no_delete`,
			`DELETE FROM payment_modes WHERE payment_id = 'P1'`}},
		{"word missing", "foyer H1 : mots « famille » au lieu de « famille lefevre »", []string{`DELETE FROM household_words WHERE word = 'lefevre' AND household_id = 'H1'`}},
		{"word added", "foyer H3 : mots « arc d jeanne martin »", []string{`INSERT INTO household_words VALUES ('martin', 'H3')`}},
		{"words of no household", "foyer X : mots « dupont » au lieu", []string{`INSERT INTO household_words VALUES ('dupont', 'X')`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := searchSample(t)
			if ps := problems(t, w.st); len(ps) != 0 {
				t.Fatalf("before: %v", ps)
			}
			exec(t, w.st, c.tamper...)
			ps := problems(t, w.st)
			if !slices.ContainsFunc(ps, func(p string) bool { return strings.Contains(p, c.want) }) {
				t.Fatalf("problems %q, want %q", ps, c.want)
			}
		})
	}
}

// TestSearchTablesFollowAndRefill: a household renamed is found by its new
// name only; and the tables filled from what is stored, as migration 0009
// does on a file that has payments already, equal those the triggers
// filled.
func TestSearchTablesFollowAndRefill(t *testing.T) {
	w := searchSample(t)
	ctx := context.Background()
	err := w.st.Update(ctx, func(tx *Tx) error {
		return tx.UpsertHousehold(&regie.Household{ID: "H3", Account: "F003", Name: "Jeanne Œuvray"})
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{"arc": nil, "oeuvray": {"E4"}, "JEANNE ŒUV": {"E4"}} {
		page, err := w.st.SearchPayments(ctx, []string{"ENF"}, PaymentFilter{Name: name}, "", 10)
		if err != nil || !slices.Equal(ids(page), want) {
			t.Errorf("%s: %v %v", name, ids(page), err)
		}
	}
	if ps := problems(t, w.st); len(ps) != 0 {
		t.Fatalf("after the rename: %v", ps)
	}

	dump := func() string {
		var b strings.Builder
		for _, q := range []string{`SELECT payment_id || '=' || modes FROM payment_modes ORDER BY 1`,
			`SELECT household_id || '=' || word FROM household_words ORDER BY 1`} {
			rows, err := w.st.Query(q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				rows.Scan(&s)
				b.WriteString(s + "\n")
			}
			rows.Close()
		}
		return b.String()
	}
	before := dump()
	storetest.SQLiteOnly(t, "the fill of SQLite's migration 0009 on an old file")
	body, err := migrations.ReadFile("migrations/0009_search.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, fill, ok := strings.Cut(string(body), "-- What is already stored.")
	if !ok {
		t.Fatal("no fill statements in 0009")
	}
	exec(t, w.st, `DROP TRIGGER payment_modes_no_delete`, `DELETE FROM payment_modes`, `DELETE FROM household_words`, fill)
	if after := dump(); after != before || !strings.Contains(after, "E1=3\n") || !strings.Contains(after, "H2=martin\n") {
		t.Fatalf("filled from the stored rows:\n%s\nwant\n%s", after, before)
	}
}
