package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// TestOrganisationsUpgradePostgres is TestOrganisationsUpgrade on a
// PostgreSQL database left at version 15 by an older program, with a
// city's data: migration 0016 files everything under the organisation
// "ville", accounts become unique per organisation.
func TestOrganisationsUpgradePostgres(t *testing.T) {
	storetest.PostgresOnly(t, "a PostgreSQL database at version 15 (SQLite's upgrade is TestOrganisationsUpgrade)")
	ctx := context.Background()
	url := storetest.DB(t, "serveur")
	schema, err := os.ReadFile("migrations_pg/0015_schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(schema),
		`CREATE TABLE regie_schema (version BIGINT NOT NULL)`, `INSERT INTO regie_schema (version) VALUES (15)`,
		`INSERT INTO meta (id, store_id, rev) VALUES (1, 'abcdef0123456789', 10)`,
		`INSERT INTO regies (code, settings, rev) VALUES ('ENF', '{"code":"ENF","name":"Enfance","modes":["cash"],"deposit_period_days":7}', 1)`,
		`INSERT INTO households (id, account, name, data, rev) VALUES ('H1', '1', 'Dupont', '{"id":"H1","account":"1","name":"Dupont"}', 2)`,
		`INSERT INTO invoices (id, number, household_id, regie, amount, paid, data, rev) VALUES ('I1', 'F1', 'H1', 'ENF', 1000, 250, '{"id":"I1"}', 3)`,
		`INSERT INTO staff (id, login, name, created_at, changed_at) VALUES ('S1', 'marie', 'Marie Curie', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
		`INSERT INTO staff_grants (staff_id, role, regie) VALUES ('S1', 'regisseur', 'ENF')`,
		`INSERT INTO audit (seq, at, staff_id, staff, action, regie, target, detail, client, prev_hash, hash)
			VALUES (1, '2026-01-01T00:00:00Z', 'S1', 'marie', 'x', 'ENF', '', 'null', '', 'p', 'h')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.80s: %v", q, err)
		}
	}
	db.Close()
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	err = st.DB().QueryRow(`SELECT (SELECT count(*) FROM organisations WHERE code = 'ville' AND name = '' AND host IS NULL)
		+ (SELECT count(*) FROM regies WHERE org = 'ville') + (SELECT count(*) FROM households WHERE org = 'ville')
		+ (SELECT count(*) FROM staff WHERE org = 'ville') + (SELECT count(*) FROM audit WHERE org = 'ville')`).Scan(&n)
	if err != nil || n != 5 {
		t.Fatalf("after the upgrade: %d of 5 rows filed under ville (%v)", n, err)
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveOrganisation(&store.Organisation{Code: "ville", Name: "Ville A", Host: "a.example.org"}); err != nil {
			return err
		}
		return tx.CreateOrganisation(&store.Organisation{Code: "ville-b", Name: "Ville B", Host: "b.example.org"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`INSERT INTO households (id, org, account, name, data, rev) VALUES ('H2', 'ville-b', '1', 'x', '{}', 11)`); err != nil {
		t.Fatalf("account 1 in a second organisation: %v", err)
	}
	if _, err := st.DB().Exec(`INSERT INTO regies (code, settings, rev) VALUES ('ZZ', '{}', 12)`); err == nil {
		t.Fatal("a régie without organisation")
	}
}

// TestCopyTwoCities: a server file of two organisations (one renamed, the
// other with its look) is copied to PostgreSQL whole: the organisations as
// the file has them, not the one an empty database starts with, and each
// household in its own.
func TestCopyTwoCities(t *testing.T) {
	storetest.PostgresOnly(t, "a copy into PostgreSQL")
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "serveur.db")
	st, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveOrganisation(&store.Organisation{Code: "ville", Name: "Ville A", Host: "a.example.org"}); err != nil {
			return err
		}
		if err := tx.CreateOrganisation(&store.Organisation{Code: "ville-b", Name: "Ville B", Host: "b.example.org",
			Look: store.Look{Color: "#1d4f91"}}); err != nil {
			return err
		}
		for _, org := range []string{"ville", "ville-b"} {
			if err := tx.UpsertHouseholdIn(org, &regie.Household{ID: "H-" + org, Account: "1", Name: "Foyer " + org}); err != nil {
				return err
			}
		}
		return nil
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	to := storetest.DB(t, "cible")
	rep, err := store.Copy(ctx, file, to)
	if err != nil || !rep.OK() {
		t.Fatalf("copy: %+v %v", rep, err)
	}
	dst, err := store.Open(ctx, to)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	var orgs []store.Organisation
	if err := dst.View(ctx, func(tx *store.Tx) (err error) { orgs, err = tx.Organisations(); return err }); err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 2 || orgs[0].Name != "Ville A" || orgs[1].Host != "b.example.org" || orgs[1].Look.Color != "#1d4f91" {
		t.Fatalf("organisations after the copy: %+v", orgs)
	}
	var org string
	if err := dst.QueryRow(`SELECT org FROM households WHERE id = 'H-ville-b'`).Scan(&org); err != nil || org != "ville-b" {
		t.Fatalf("household of ville-b copied into %q (%v)", org, err)
	}
}
