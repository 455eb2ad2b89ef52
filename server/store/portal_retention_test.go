package store

import (
	"context"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/portal"
)

// appendOnlyCounts counts the rows of every table a trigger refuses to
// DELETE from (the journal, payments, cancellations, credits, audit…),
// found in the schema rather than listed, so a table added later is
// covered too.
func appendOnlyCounts(t *testing.T, st *Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	err := st.View(context.Background(), func(tx *Tx) error {
		q := `SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%BEFORE DELETE%'`
		if st.pg {
			q = `SELECT DISTINCT event_object_table FROM information_schema.triggers
				WHERE trigger_schema = current_schema() AND event_manipulation = 'DELETE' AND action_timing = 'BEFORE'`
		}
		rows, err := tx.query(q)
		if err != nil {
			return err
		}
		var tables []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			tables = append(tables, n)
		}
		rows.Close()
		for _, n := range tables {
			var c int
			if err := tx.queryRow(`SELECT count(*) FROM "` + n + `"`).Scan(&c); err != nil {
				return err
			}
			out[n] = c
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if out["journal"] == 0 || out["payments"] == 0 || out["cancellations"] == 0 {
		t.Fatalf("no journal to keep: %v", out)
	}
	return out
}

func countRows(t *testing.T, st *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := st.View(context.Background(), func(tx *Tx) error { return tx.queryRow(q, args...).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPurgeKeepsTheAccounts: a purge 25 months on, with 24 months of
// retention, deletes the portal account of the identity inactive since,
// a link ended before the cutoff and old failed attempts; it keeps active
// identities' links and visits, and every row of every append-only table
// (journals, payments, cancellations, audit) — and the journals still
// verify.
func TestPurgeKeepsTheAccounts(t *testing.T) {
	w := searchSample(t)
	ctx := context.Background()
	ps := w.st.Portal()
	err := w.st.Update(ctx, func(tx *Tx) error {
		for _, h := range []regie.Household{
			{ID: "H1", Account: "F001", Name: "Famille Lefèvre", AccessCode: "CODE1", Members: []regie.Member{
				{FirstName: "Anne", LastName: "Lefèvre", BirthDate: "1980-01-01", Holder: true}}},
			{ID: "H2", Account: "F002", Name: "LEFEVRE-Martin Julie", AccessCode: "CODE2", Members: []regie.Member{
				{FirstName: "Julie", LastName: "Lefèvre", BirthDate: "1980-01-01", Holder: true}}},
		} {
			if err := tx.UpsertHousehold(&h); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	now := t0.AddDate(0, 25, 0)
	link := func(subject, code string, at time.Time) error {
		_, err := ps.Link(ctx, portal.LinkRequest{Org: "ville", Subject: subject, FamilyName: "Lefèvre", BirthDate: "1980-01-01", Name: subject,
			AccessCode: code, Client: "c", At: at, Day: at.Format(time.DateOnly), Since: at.Add(-time.Hour), LimitIdentity: 5})
		return err
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(link("sub-old", "CODE1", t0))
	_, err = ps.Visit(ctx, "ville", "sub-old", t0.AddDate(0, 0, 1))
	must(err)
	must(link("sub-active", "CODE1", t0))
	_, err = ps.Visit(ctx, "ville", "sub-active", t0.AddDate(0, 23, 0))
	must(err)
	must(link("sub-moved", "CODE2", t0))
	must(ps.Unlink(ctx, "ville", "sub-moved", "H2", t0.AddDate(0, 0, 10)))
	must(link("sub-moved", "CODE1", t0.AddDate(0, 20, 0)))
	if err := link("sub-fail", "WRONG", now.Add(-30*time.Hour)); regie.ErrorCodeOf(err) != regie.EBadCredentials {
		t.Fatalf("failed attempt: %v", err)
	}
	if err := link("sub-fail", "WRONG", now.Add(-20*time.Hour)); regie.ErrorCodeOf(err) != regie.EBadCredentials {
		t.Fatalf("failed attempt: %v", err)
	}
	before := appendOnlyCounts(t, w.st)

	// Nothing is old enough a year on: nothing goes.
	got, err := w.st.Retention(24).Purge(ctx, t0.AddDate(1, 0, 0))
	must(err)
	if *got != (Purged{}) {
		t.Fatalf("early purge: %+v", got)
	}

	got, err = w.st.Retention(0).Purge(ctx, now)
	must(err)
	if want := (Purged{Accounts: 1, Links: 2, Visits: 2, Failures: 1}); *got != want {
		t.Fatalf("purged %+v, want %+v", *got, want)
	}
	for subject, want := range map[string]int{"sub-old": 0, "sub-active": 1, "sub-moved": 1} {
		if n := countRows(t, w.st, `SELECT count(*) FROM portal_links WHERE subject = ?`, subject); n != want {
			t.Errorf("%s: %d links, want %d", subject, n, want)
		}
	}
	if n := countRows(t, w.st, `SELECT count(*) FROM portal_links WHERE subject = 'sub-moved' AND household_id = 'H2'`); n != 0 {
		t.Error("the link ended 24 months ago is kept")
	}
	if n := countRows(t, w.st, `SELECT count(*) FROM portal_seen WHERE subject = 'sub-old' OR household_id = 'H2'`); n != 0 {
		t.Error("the visits of the inactive identity or of the ended link are kept")
	}
	if n := countRows(t, w.st, `SELECT count(*) FROM portal_seen WHERE subject = 'sub-active'`); n != 1 {
		t.Error("the active identity's visit is gone")
	}
	if n := countRows(t, w.st, `SELECT count(*) FROM portal_link_failures`); n != 1 {
		t.Errorf("%d failures left, want the last day's", n)
	}
	if hs, err := ps.LinkedHouseholds(ctx, "ville", "sub-active"); err != nil || len(hs) != 1 {
		t.Fatalf("active identity's households: %v %v", hs, err)
	}

	after := appendOnlyCounts(t, w.st)
	for table, n := range before {
		if after[table] != n {
			t.Errorf("%s: %d rows after the purge, %d before", table, after[table], n)
		}
	}
	reports, err := w.st.Verify(ctx)
	must(err)
	for _, r := range reports {
		if !r.OK() {
			t.Errorf("verify after purge: %s", r)
		}
	}
	// Again: nothing more to purge.
	got, err = w.st.Retention(24).Purge(ctx, now)
	must(err)
	if *got != (Purged{}) {
		t.Fatalf("second purge: %+v", got)
	}
}

// TestPurgeCannotDeleteTheJournal: the append-only triggers still refuse
// a DELETE on the journal and payments after purges ran.
func TestPurgeCannotDeleteTheJournal(t *testing.T) {
	w := searchSample(t)
	if _, err := w.st.Retention(1).Purge(context.Background(), time.Now().AddDate(5, 0, 0)); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DELETE FROM journal`, `DELETE FROM payments`, `DELETE FROM cancellations`, `DELETE FROM allocations`} {
		err := w.st.Update(context.Background(), func(tx *Tx) error { return tx.exec(q) })
		if err == nil {
			t.Errorf("%s allowed", q)
		}
	}
}
