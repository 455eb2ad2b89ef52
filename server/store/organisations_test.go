package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/internal/sqlitedb"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// fileAt builds a server file at schema version v, as an older program
// left it, and runs stmts in it.
func fileAt(t *testing.T, v int, stmts ...string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "serveur.db")
	db, err := sql.Open("sqlite", sqlitedb.DSN(file, 1000, true))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	err = sqlitedb.Migrate(context.Background(), db, sqlitedb.Schema{AppID: store.ApplicationID, Migrations: os.DirFS("."),
		Dir: "migrations", Name: "Régie server file", Upto: v, Extra: func(n int) []string {
			if n != 1 {
				return nil
			}
			return []string{"INSERT INTO meta (id, store_id, rev) VALUES (1, 'abcdef0123456789', 10)"}
		}})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return file
}

// schemaOf lists the indexes and triggers on a table, with their SQL.
func schemaOf(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master
		WHERE tbl_name = ? AND type IN ('index', 'trigger') ORDER BY name`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

// TestOrganisationsUpgrade opens a file of version 15 holding a city's
// data: one organisation, unnamed, takes every régie, household and staff
// account; the rebuilt tables keep their rows, indexes and triggers; the
// foreign keys hold and are on.
func TestOrganisationsUpgrade(t *testing.T) {
	storetest.SQLiteOnly(t, "the upgrade of a SQLite file at version 15")
	ctx := context.Background()
	file := fileAt(t, 15,
		`INSERT INTO regies (code, settings, rev) VALUES ('ENF', '{"code":"ENF","name":"Enfance","modes":["cash"],"deposit_period_days":7}', 1)`,
		`INSERT INTO households (id, account, name, data, rev) VALUES ('H1', '1', 'Dupont', '{"id":"H1","account":"1","name":"Dupont","access_code":"ABC"}', 2)`,
		`INSERT INTO invoices (id, number, household_id, regie, amount, paid, data, rev) VALUES ('I1', 'F1', 'H1', 'ENF', 1000, 250, '{"id":"I1"}', 3)`,
		`INSERT INTO staff (id, login, name, created_at, changed_at) VALUES ('S1', 'marie', 'Marie Curie', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
		`INSERT INTO staff_grants (staff_id, role, regie) VALUES ('S1', 'regisseur', 'ENF')`,
	)
	old := func(table string) []string {
		db, _ := sql.Open("sqlite", sqlitedb.DSN(file, 1000, false))
		defer db.Close()
		return schemaOf(t, db, table)
	}
	oldHouseholds, oldInvoices := old("households"), old("invoices")

	st, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	db := st.DB()
	var orgs, regies, households, staff, invoices, paid, words int
	err = db.QueryRow(`SELECT (SELECT count(*) FROM organisations WHERE code = 'ville' AND name = '' AND host IS NULL),
		(SELECT count(*) FROM regies WHERE org = 'ville'), (SELECT count(*) FROM households WHERE org = 'ville'),
		(SELECT count(*) FROM staff WHERE org = 'ville'), (SELECT count(*) FROM invoices), (SELECT paid FROM invoices WHERE id = 'I1'),
		(SELECT count(*) FROM household_words WHERE household_id = 'H1')`).
		Scan(&orgs, &regies, &households, &staff, &invoices, &paid, &words)
	if err != nil || orgs != 1 || regies != 1 || households != 1 || staff != 1 || invoices != 1 || paid != 250 || words != 1 {
		t.Fatalf("after the upgrade: %d orgs, %d régies, %d households, %d staff, %d invoices, paid %d, %d words (%v)",
			orgs, regies, households, staff, invoices, paid, words, err)
	}
	var fk int
	db.QueryRow("PRAGMA foreign_keys").Scan(&fk)
	if fk != 1 {
		t.Fatal("foreign keys off after the upgrade")
	}
	// Every index and trigger of the rebuilt tables is there again, the
	// same; the new ones are added.
	for table, before := range map[string][]string{"households": oldHouseholds, "invoices": oldInvoices} {
		after := schemaOf(t, db, table)
		for _, s := range before {
			if strings.Contains(s, "sqlite_autoindex") {
				continue
			}
			if !slices.Contains(after, strings.Replace(s, "IF NOT EXISTS ", "", 1)) {
				t.Errorf("%s lost or changed: %s\nnow: %q", table, s, after)
			}
		}
	}
	// The triggers work: a new household gets its words, a rename moves them.
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.UpsertHousehold(&regie.Household{ID: "H2", Account: "2", Name: "Martin Lefèvre"}); err != nil {
			return err
		}
		return tx.UpsertHousehold(&regie.Household{ID: "H1", Account: "1", Name: "Durand"})
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	rows, _ := db.Query(`SELECT household_id || ':' || word FROM household_words ORDER BY 1`)
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got = append(got, s)
	}
	rows.Close()
	if strings.Join(got, ",") != "H1:durand,H2:lefevre,H2:martin" {
		t.Fatalf("household words: %v", got)
	}
}

// twoCities is a server with two organisations, each with a régie.
func twoCities(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveOrganisation(&store.Organisation{Code: "ville", Name: "Ville A", Host: "a.example.org"}); err != nil {
			return err
		}
		if err := tx.CreateOrganisation(&store.Organisation{Code: "ville-b", Name: "Ville B", Host: "B.example.org"}); err != nil {
			return err
		}
		a := regie.Regie{Code: "ENFA", Name: "Enfance A", Modes: []regie.PaymentMode{regie.Cash, regie.Transfer}, DepositPeriodDays: 7}
		b := regie.Regie{Code: "ENFB", Name: "Enfance B", Modes: []regie.PaymentMode{regie.Cash}, DepositPeriodDays: 7}
		if err := tx.CreateRegieIn("ville", &a); err != nil {
			return err
		}
		return tx.CreateRegieIn("ville-b", &b)
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestOrganisationsKeepApart: the same account and invoice number in two
// cities; and every crossing refused by the database itself, with a French
// message where the store's own methods are used.
func TestOrganisationsKeepApart(t *testing.T) {
	ctx := context.Background()
	st := twoCities(t)
	err := st.Update(ctx, func(tx *store.Tx) error {
		for _, c := range []struct{ org, regie, suffix string }{{"ville", "ENFA", "A"}, {"ville-b", "ENFB", "B"}} {
			if err := tx.UpsertHouseholdIn(c.org, &regie.Household{ID: "H" + c.suffix, Account: "1", Name: "Dupont"}); err != nil {
				return err
			}
			if err := tx.UpsertInvoice(c.regie, &regie.Invoice{ID: "I" + c.suffix, Number: "F1", HouseholdID: "H" + c.suffix, Label: "Cantine", Amount: 100}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("the same account and invoice number in two cities: %v", err)
	}
	french := func(what string, fn func(tx *store.Tx) error, want string) {
		t.Helper()
		err := st.Update(ctx, fn)
		if c := regie.ErrorCodeOf(err); c == "" || c == regie.EInternal || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", what, err)
		}
	}
	french("a second régie without naming the organisation", func(tx *store.Tx) error {
		return tx.SaveRegie(&regie.Regie{Code: "XX", Name: "X", Modes: []regie.PaymentMode{regie.Cash}, DepositPeriodDays: 7}, true)
	}, "plusieurs organisations")
	french("a household id of the other city", func(tx *store.Tx) error {
		return tx.UpsertHouseholdIn("ville-b", &regie.Household{ID: "HA", Account: "9", Name: "Intrus"})
	}, "autre organisation")
	french("an invoice id of the other city", func(tx *store.Tx) error {
		return tx.UpsertInvoice("ENFB", &regie.Invoice{ID: "IA", Number: "F9", HouseholdID: "HB", Label: "x", Amount: 1})
	}, "autre organisation")
	french("a grant on the other city's régie", func(tx *store.Tx) error {
		return tx.SaveStaff(&store.Staff{ID: "S1", Login: "marie", Name: "Marie", Org: "ville", Grants: []store.Grant{{Role: store.RoleRegisseur, Regie: "ENFB"}}}, time.Now())
	}, "autre organisation")

	// What a tool writing SQL would do is refused by the database.
	db := st.DB()
	unique, notNull, foreignKey := "UNIQUE", "NOT NULL", "FOREIGN KEY"
	if storetest.Postgres() {
		unique, notNull, foreignKey = "unique constraint", "not-null", "foreign key"
	}
	if _, err := db.Exec(`INSERT INTO staff (id, login, name, created_at, changed_at, org) VALUES ('S2', 'paul', 'Paul', '', '', 'ville')`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ what, q, want string }{
		{"same account twice in a city", `INSERT INTO households (id, org, account, name, data, rev) VALUES ('HC', 'ville', '1', 'x', '{}', 99)`, unique},
		{"same number twice in a régie", `INSERT INTO invoices (id, number, household_id, regie, amount, data, rev) VALUES ('IC', 'F1', 'HA', 'ENFA', 1, '{}', 99)`, unique},
		{"a household without organisation", `INSERT INTO households (id, account, name, data, rev) VALUES ('HD', '7', 'x', '{}', 99)`, notNull},
		{"a régie without organisation", `INSERT INTO regies (code, settings, rev) VALUES ('Z', '{}', 99)`, foreignKey},
		{"a staff account without organisation", `INSERT INTO staff (id, login, name, created_at, changed_at) VALUES ('S3', 'zoe', 'Zoé', '', '')`, foreignKey},
		{"an invoice of city B's household on city A's régie", `INSERT INTO invoices (id, number, household_id, regie, amount, data, rev) VALUES ('IX', 'F7', 'HB', 'ENFA', 1, '{}', 99)`, "different organisations"},
		{"an invoice moved to the other city's household", `UPDATE invoices SET household_id = 'HB' WHERE id = 'IA'`, "different organisations"},
		{"an invoice moved to the other city, household and régie", `UPDATE invoices SET household_id = 'HB', regie = 'ENFB' WHERE id = 'IA'`, "stays in its organisation"},
		{"a household moved", `UPDATE households SET org = 'ville-b' WHERE id = 'HA'`, "stays in its organisation"},
		{"a régie moved", `UPDATE regies SET org = 'ville-b' WHERE code = 'ENFA'`, "stays in its organisation"},
		{"a staff account moved", `UPDATE staff SET org = 'ville-b' WHERE id = 'S2'`, "stays in its organisation"},
		{"a grant on the other city's régie", `INSERT INTO staff_grants (staff_id, role, regie) VALUES ('S2', 'finance', 'ENFB')`, "another organisation"},
		{"a payment of city B's household at city A's régie", `INSERT INTO payments (id, counter_id, seq, receipt, regie, counter, day, at, agent, household_id, account, payer, total)
			VALUES ('P', 1, 1, 'R', 'ENFA', 'C', '', '', '', 'HB', '1', '', 1)`, "different organisations"},
		{"two organisations on one host", `INSERT INTO organisations (code, name, host, created_at) VALUES ('ville-c', 'C', 'b.example.org', '')`, unique},
	} {
		if _, err := db.Exec(c.q); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.what, err)
		}
	}
	if _, err := db.Exec(`INSERT INTO staff_grants (staff_id, role, regie) VALUES ('S2', 'finance', 'ENFA')`); err != nil {
		t.Errorf("a grant in the staff's own city: %v", err)
	}
}

// TestOrganisationForHost: a host picks its organisation (case and port
// aside); a single organisation without host answers on any address; an
// unknown host on a server of several gets none.
func TestOrganisationForHost(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	code := func(host string) string {
		o, err := st.OrganisationForHost(ctx, host)
		if err != nil {
			t.Fatal(err)
		}
		if o == nil {
			return ""
		}
		return o.Code
	}
	if code("anything.example") != "ville" || code("") != "ville" {
		t.Fatal("a one-city install answers on any address")
	}
	b := &store.Organisation{Code: "ville-b", Name: "Ville B", Host: "paiements.b.fr",
		Look: store.Look{Color: "#1d4f91", Header: "B", Logo: "/logo-b.png"}}
	// A second organisation while the first has no address would leave
	// the first served nowhere.
	err = st.Update(ctx, func(tx *store.Tx) error { return tx.CreateOrganisation(b) })
	if regie.ErrorCodeOf(err) != regie.EInvalid || !strings.Contains(err.Error(), "Donnez d'abord son adresse à l'organisation ville") {
		t.Fatalf("a second organisation beside one without address: %v", err)
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveOrganisation(&store.Organisation{Code: "ville", Name: "Ville A", Host: "paiements.a.fr"}); err != nil {
			return err
		}
		return tx.CreateOrganisation(b)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		return tx.SaveOrganisation(&store.Organisation{Code: "ville", Name: "Ville A"})
	})
	if regie.ErrorCodeOf(err) != regie.EInvalid {
		t.Fatalf("an address removed on a server of two: %v", err)
	}
	for host, want := range map[string]string{"paiements.b.fr": "ville-b", "Paiements.B.FR:8443": "ville-b", "paiements.b.fr.": "ville-b",
		"paiements.a.fr": "ville", "anything.example": "", "": "", "b.fr": ""} {
		if got := code(host); got != want {
			t.Errorf("host %q: %q, want %q", host, got, want)
		}
	}
	for _, o := range []store.Organisation{
		{Code: "Ville C", Name: "C"}, {Code: "c", Name: ""}, {Code: "c", Name: "C", Host: "https://c.fr"},
		{Code: "c", Name: "C", Look: store.Look{Color: "red;background:url(x)"}},
		{Code: "c", Name: "C", Look: store.Look{Logo: "https://evil.example/x.png"}},
		{Code: "c", Name: "C", Look: store.Look{Logo: "//evil.example/x.png"}},
		{Code: "c", Name: "C", Host: "PAIEMENTS.B.FR"},
	} {
		if err := st.Update(ctx, func(tx *store.Tx) error { return tx.CreateOrganisation(&o) }); regie.ErrorCodeOf(err) != regie.EInvalid && regie.ErrorCodeOf(err) != regie.EConflict {
			t.Errorf("%+v accepted: %v", o, err)
		}
	}
}

// TestPaymentsKeepApart: a payment recorded at a régie of one city for a
// household of the other is refused by the journal rules as an unknown
// household (the same rules for a desk's push and the server's own
// counters), and nothing is written.
func TestPaymentsKeepApart(t *testing.T) {
	ctx := context.Background()
	st := twoCities(t)
	err := st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.UpsertHouseholdIn("ville-b", &regie.Household{ID: "HB", Account: "1", Name: "Bernard"}); err != nil {
			return err
		}
		return tx.UpsertInvoice("ENFB", &regie.Invoice{ID: "IB", Number: "F1", HouseholdID: "HB", Label: "Cantine", Amount: 10_00})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		_, _, err := ledger.Record(tx, ledger.Request{Regie: "ENFA", Channel: regie.ChannelBackOffice, Source: ledger.SourceBackOffice,
			Key: "k1", HouseholdID: "HB", Account: "1", Payer: "Bernard",
			Tenders:     []regie.Tender{{Mode: regie.Transfer, Amount: 10_00, Reference: "VIR-1"}},
			Allocations: []regie.Allocation{{InvoiceID: "IB", InvoiceNumber: "F1", Label: "Cantine", Amount: 10_00}}}, time.Now())
		return err
	})
	if regie.ErrorCodeOf(err) != regie.EHouseholdNotFound {
		t.Fatalf("a payment at city A's régie for city B's household: %v", err)
	}
	var n int
	if err := st.QueryRow(`SELECT count(*) FROM payments`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d payments written (%v)", n, err)
	}
}
