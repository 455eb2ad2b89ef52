package sqlitedb

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

func open(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", DSN(path, 1000, true))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// TestMigrate applies numbered migrations in order, once each, and refuses
// a file of another kind.
func TestMigrate(t *testing.T) {
	ctx := context.Background()
	fsys := fstest.MapFS{
		"m/0002_more.sql":  {Data: []byte("INSERT INTO t (v) VALUES ('deux');")},
		"m/0001_start.sql": {Data: []byte("CREATE TABLE t (v TEXT); INSERT INTO t (v) VALUES ('un');")},
	}
	path := filepath.Join(t.TempDir(), "f.db")
	db := open(t, path)
	s := Schema{AppID: 0x7465_7374, Migrations: fsys, Dir: "m", Name: "test file",
		Extra: func(n int) []string {
			if n == 2 {
				return []string{"INSERT INTO t (v) VALUES ('extra');"}
			}
			return nil
		}}
	for i := 0; i < 2; i++ { // the second run finds nothing to do
		if err := Migrate(ctx, db, s); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	rows, err := db.Query("SELECT v FROM t ORDER BY rowid")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v string
		rows.Scan(&v)
		got = append(got, v)
	}
	rows.Close()
	if strings.Join(got, ",") != "un,deux,extra" {
		t.Fatalf("rows %v", got)
	}
	var version int
	db.QueryRow("PRAGMA user_version").Scan(&version)
	if version != 2 {
		t.Fatalf("user_version %d", version)
	}
	other := s
	other.AppID = 1
	if err := Migrate(ctx, db, other); err == nil || !strings.Contains(err.Error(), "not a test file") {
		t.Fatalf("another kind of file: %v", err)
	}
	bad := Schema{AppID: 9, Migrations: fstest.MapFS{"m/0001_x.sql": {Data: []byte("CREATE TABLE oops (")}}, Dir: "m", Name: "x"}
	db2 := open(t, filepath.Join(t.TempDir(), "g.db"))
	if err := Migrate(ctx, db2, bad); err == nil {
		t.Fatal("a broken migration was applied")
	}
	db2.QueryRow("PRAGMA user_version").Scan(&version)
	if version != 0 {
		t.Fatalf("a failed migration moved user_version to %d", version)
	}
}

// TestHot runs registered statements prepared, and others as they are.
func TestHot(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "h.db"))
	if _, err := db.Exec("CREATE TABLE t (v INTEGER)"); err != nil {
		t.Fatal(err)
	}
	var h Hot
	ins := h.Add("INSERT INTO t (v) VALUES (?)")
	p, err := h.Prepare(ctx, db)
	if err != nil || p[ins] == nil {
		t.Fatalf("prepare: %v", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := Bind(ctx, tx, p)
	for i := 0; i < 3; i++ {
		if _, err := b.Exec(ins, i); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := b.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != 3 {
		t.Fatalf("%d rows, %v", n, err)
	}
	if len(b.bound) != 1 {
		t.Fatalf("%d statements bound, want the one hot statement", len(b.bound))
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Prepare(ctx, db); err != nil {
		t.Fatal(err)
	}
	var broken Hot
	broken.Add("SELECT nothing FROM nowhere")
	if _, err := broken.Prepare(ctx, db); err == nil {
		t.Fatal("a broken statement prepared")
	}
}

// TestURIOddNames opens files whose names SQLite's URI syntax would cut or
// decode ('?', '#', '%', spaces, accents) and checks each is the file
// written, and nothing else appears in the folder.
func TestURIOddNames(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	names := []string{"a b.db", "a?mode=memory.db", "a#b.db", "a%20b.db", "a%3Fb.db", "régie été.db", "a&b=c.db"}
	for i, name := range names {
		db := open(t, filepath.Join(dir, name))
		if _, err := db.ExecContext(ctx, `CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (?)`, i); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		db.Close()
	}
	for i, name := range names {
		db := open(t, filepath.Join(dir, name))
		var v int
		if err := db.QueryRowContext(ctx, `SELECT v FROM t`).Scan(&v); err != nil || v != i {
			t.Fatalf("%s holds %d (%v), want %d: another file was opened", name, v, err, i)
		}
		db.Close()
	}
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	sort.Strings(got)
	want := append([]string(nil), names...)
	sort.Strings(want)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("folder holds %q, want %q", got, want)
	}
}

// TestMigrateForeignKeys checks the foreign keys when a migration was
// applied in this open — a dangling key then refuses the file — and not
// when there was nothing to apply (verify's job, not every open's).
func TestMigrateForeignKeys(t *testing.T) {
	ctx := context.Background()
	one := fstest.MapFS{"m/0001_start.sql": {Data: []byte(
		"CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE c (p TEXT REFERENCES p(id));")}}
	s := Schema{AppID: 0x7465_7374, Migrations: one, Dir: "m", Name: "test file"}
	path := filepath.Join(t.TempDir(), "fk.db")
	db := open(t, path)
	if err := Migrate(ctx, db, s); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"PRAGMA foreign_keys = OFF", "INSERT INTO c (p) VALUES ('nobody')", "PRAGMA foreign_keys = ON"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := Migrate(ctx, db, s); err != nil {
		t.Fatalf("nothing to apply, yet: %v", err)
	}
	two := fstest.MapFS{"m/0001_start.sql": one["m/0001_start.sql"], "m/0002_more.sql": {Data: []byte("CREATE TABLE d (v TEXT);")}}
	s.Migrations = two
	if err := Migrate(ctx, db, s); err == nil || !strings.Contains(err.Error(), "foreign key") {
		t.Fatalf("a migration applied over a dangling key: %v", err)
	}
}

// TestMigrateForeignKeysOff rebuilds a parent table, as SQLite's procedure
// for dropping an inline UNIQUE does, in a migration that declares it needs
// the foreign keys off: the children keep pointing at the rebuilt table,
// the keys are on again afterwards, and a rebuild that leaves a dangling
// key is rolled back whole.
func TestMigrateForeignKeysOff(t *testing.T) {
	ctx := context.Background()
	start := fstest.MapFS{"m/0001_start.sql": {Data: []byte(`
		CREATE TABLE p (id TEXT PRIMARY KEY, account TEXT NOT NULL UNIQUE);
		CREATE TABLE c (p TEXT NOT NULL REFERENCES p(id));
		INSERT INTO p VALUES ('a', '1'), ('b', '2');
		INSERT INTO c VALUES ('a'), ('b');`)}}
	rebuild := ForeignKeysOff + "\n" + `
		CREATE TABLE p_new (id TEXT PRIMARY KEY, org TEXT NOT NULL, account TEXT NOT NULL, UNIQUE (org, account));
		INSERT INTO p_new SELECT id, 'x', account FROM p %s;
		DROP TABLE p;
		ALTER TABLE p_new RENAME TO p;`
	fsys := func(filter string) fstest.MapFS {
		return fstest.MapFS{"m/0001_start.sql": start["m/0001_start.sql"],
			"m/0002_rebuild.sql": {Data: []byte(strings.Replace(rebuild, "%s", filter, 1))}}
	}
	fkOn := func(db *sql.DB) int {
		var on int
		if err := db.QueryRow("PRAGMA foreign_keys").Scan(&on); err != nil {
			t.Fatal(err)
		}
		return on
	}
	version := func(db *sql.DB) int {
		var v int
		db.QueryRow("PRAGMA user_version").Scan(&v)
		return v
	}

	bad := open(t, filepath.Join(t.TempDir(), "bad.db"))
	s := Schema{AppID: 0x7465_7374, Migrations: fsys("WHERE id = 'a'"), Dir: "m", Name: "test file"}
	if err := Migrate(ctx, bad, s); err == nil || !strings.Contains(err.Error(), "foreign key check fails: a row of c names a missing p") {
		t.Fatalf("a rebuild that lost a parent row: %v", err)
	}
	if v := version(bad); v != 1 {
		t.Fatalf("the failed rebuild left user_version %d", v)
	}
	var n int
	if err := bad.QueryRow("SELECT count(*) FROM p WHERE account = '2'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("the failed rebuild was not rolled back: %d %v", n, err)
	}
	if fkOn(bad) != 1 {
		t.Fatal("foreign keys left off after a failed migration")
	}

	db := open(t, filepath.Join(t.TempDir(), "good.db"))
	s.Migrations = fsys("")
	if err := Migrate(ctx, db, s); err != nil {
		t.Fatal(err)
	}
	if v := version(db); v != 2 || fkOn(db) != 1 {
		t.Fatalf("after the rebuild: version %d, foreign keys %d", v, fkOn(db))
	}
	if _, err := db.Exec("INSERT INTO p VALUES ('c', 'y', '1')"); err != nil {
		t.Fatalf("the inline UNIQUE survived the rebuild: %v", err)
	}
	if _, err := db.Exec("INSERT INTO c VALUES ('nobody')"); err == nil {
		t.Fatal("the children's foreign key no longer holds after the rebuild")
	}
}
