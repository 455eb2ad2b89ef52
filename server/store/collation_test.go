package store_test

import (
	"context"
	"database/sql"
	"net/url"
	"slices"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// TestTextSortsByBytes: names, receipts and folded words compare byte by
// byte, as SQLite does, even in a PostgreSQL database created with French
// linguistic sorting (where "éa" would come before "eb", and "Zoé" before
// "élodie"): the search's prefix ranges and the pages' cuts depend on it.
func TestTextSortsByBytes(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t, "serveur")
	if storetest.Postgres() {
		db = frenchDatabase(t)
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if storetest.Postgres() {
		// The database's own sorting is French: what the columns must not
		// follow.
		var french bool
		if err := st.QueryRow(`SELECT 'éa' < 'eb'`).Scan(&french); err != nil || !french {
			t.Fatalf("the database does not sort the French way: %v %v", french, err)
		}
		// And every text column of every migration is declared so, the
		// ones later migrations add included.
		rows, err := st.Query(`SELECT table_name || '.' || column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND data_type = 'text' AND collation_name IS DISTINCT FROM 'C'`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c string
			rows.Scan(&c)
			t.Errorf("%s sorts by the database's locale: declare it TEXT COLLATE \"C\"", c)
		}
		rows.Close()
	}
	names := []string{"Zoé", "élodie", "eb", "éa", "Émile", "ea"}
	err = st.Update(ctx, func(tx *store.Tx) error {
		for i, n := range names {
			h := regie.Household{ID: "h" + string(rune('a'+i)), Account: "A" + string(rune('a'+i)), Name: n}
			if err := tx.UpsertHousehold(&h); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := st.Query(`SELECT name FROM households ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		got = append(got, n)
	}
	rows.Close()
	want := slices.Clone(names)
	slices.Sort(want) // Go compares strings byte by byte
	if !slices.Equal(got, want) {
		t.Errorf("sorted %q, want %q", got, want)
	}
}

// frenchDatabase creates a database whose default collation is French
// (ICU), dropped after the test, and returns its address.
func frenchDatabase(t *testing.T) string {
	t.Helper()
	base := storetest.DB(t, "admin")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := "regie_fr_bytes"
	admin.Exec(`DROP DATABASE IF EXISTS ` + name)
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'fr-FR' LOCALE 'C.UTF-8'`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			db.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`)
			db.Close()
		}
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String()
}
