package store_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/server/bank"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// copyNow is the instant the source city's last payments were taken.
var copyNow = time.Date(2026, 12, 3, 10, 0, 0, 0, apptest.Paris)

// copySource writes a city's server file with something in every kind of
// table: the demo régie, a desk's journal (payments over two days, one
// cancelled, the days closed), payments recorded online and at the
// back-office, one cancelled, a bank statement matched, a citizen's
// portal link. The file is closed when it returns.
func copySource(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "ville.db")
	st, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	servertest.Seed(t, st)
	servertest.AddCounter(t, st, "B1")
	j := apptest.NewJournal("ENF", "B1", "agent")
	j.Float = 150_00
	var first *regie.Payment
	for d := range 2 {
		for i := range 5 {
			p := &regie.Payment{Tenders: []regie.Tender{{Mode: regie.Cash, Amount: regie.Money(4_20 * (i + 1))}},
				Allocations: []regie.Allocation{{ItemCode: "PISC-ENT", Label: "Entrée", Amount: regie.Money(4_20 * (i + 1))}}}
			at := copyNow.AddDate(0, 0, d-3).Add(time.Duration(i) * time.Minute)
			j.Pay(t, at, p)
			if first == nil {
				first = p
				j.Cancel(t, at.Add(time.Second), p, "Erreur de saisie du montant")
			}
		}
	}
	j.Close(t, copyNow.AddDate(0, 0, -2).Add(8*time.Hour))
	servertest.Push(t, st, "ENF", "B1", j.Take(), copyNow.AddDate(0, 0, -1))
	err = st.Update(ctx, func(tx *store.Tx) error {
		online := ledger.Request{Regie: "ENF", Channel: regie.ChannelOnline, Source: ledger.SourcePayFiP, Key: "IDOP-1",
			HouseholdID: "h-0001", Tenders: []regie.Tender{{Mode: regie.Online, Amount: 5_00, Reference: "IDOP-1"}},
			Allocations: []regie.Allocation{{InvoiceID: "i-0001-2", Amount: 5_00}}}
		if _, _, err := ledger.Record(tx, online, copyNow); err != nil {
			return err
		}
		transfer := online
		transfer.Channel, transfer.Source, transfer.Key = regie.ChannelBackOffice, ledger.SourceBackOffice, "FORM-1"
		transfer.Tenders = []regie.Tender{{Mode: regie.Transfer, Amount: 7_00, Reference: "VIR-1"}}
		transfer.Allocations = []regie.Allocation{{InvoiceID: "i-0001-3", Amount: 7_00}}
		p, _, err := ledger.Record(tx, transfer, copyNow)
		if err != nil {
			return err
		}
		_, err = ledger.Cancel(tx, ledger.CancelRequest{Regie: "ENF", PaymentID: p.ID, Reason: "Erreur de foyer ou de facture", Agent: "s-0001"}, copyNow)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../bank/testdata/enf-camt053-001-02.xml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := bank.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(ctx, func(tx *store.Tx) error {
		if _, err := bank.Record(tx, &bank.Import{Regie: "ENF", StaffID: "s-0001", Filename: "releve.xml", Data: data, Statement: s}, copyNow); err != nil {
			return err
		}
		return tx.AppendAudit(&store.AuditEntry{At: copyNow, StaffID: "s-0001", Staff: "Marie Dupont", Action: "bank.import",
			Regie: "ENF", Target: "releve.xml", Detail: []byte(`{"entries":9}`), Client: "c"})
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Portal().Link(ctx, portal.LinkRequest{Org: "ville", Subject: "fc-hlefevre", FamilyName: "Lefèvre", BirthDate: "1984-05-12",
		Name: "Hélène Lefèvre", AccessCode: "K7Q101X", Client: "c", At: copyNow, Day: "2026-12-03", Since: copyNow.Add(-time.Hour),
		LimitIdentity: 5}); err != nil {
		t.Fatal(err)
	}
	return file
}

func fileSum(t *testing.T, file string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func openStore(t *testing.T, db string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// answers is what a server reads from a database for a citizen, a counter
// and a régisseur, as JSON: equal answers from two databases mean they
// serve the same city.
func answers(t *testing.T, st *store.Store) string {
	t.Helper()
	ctx := context.Background()
	out := map[string]any{"store": st.ID()}
	ps := st.Portal()
	var err error
	if out["linked"], err = ps.LinkedHouseholds(ctx, "ville", "fc-hlefevre"); err != nil {
		t.Fatal(err)
	}
	if out["payments"], err = ps.Payments(ctx, "h-0001", 2026); err != nil {
		t.Fatal(err)
	}
	if out["invoices"], err = ps.Invoices(ctx, "h-0001"); err != nil {
		t.Fatal(err)
	}
	if out["search"], err = st.SearchPayments(ctx, []string{"ENF"}, store.PaymentFilter{Name: "lef"}, "", 50); err != nil {
		t.Fatal(err)
	}
	if out["all"], err = st.SearchPayments(ctx, []string{"ENF"}, store.PaymentFilter{}, "", 500); err != nil {
		t.Fatal(err)
	}
	if err := st.View(ctx, func(tx *store.Tx) error {
		c, err := tx.CounterByCode("ENF", "B1")
		if err != nil {
			return err
		}
		out["pull"], err = tx.Pull(c, "", 1000)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCopyToPostgres is the move of a city: every table copied,
// checked on both sides, the source never written; the copy serves the
// same answers to the portal, a counter's pull and the search, keeps the
// store id (pull cursors stay valid), and takes new payments after it.
func TestCopyToPostgres(t *testing.T) {
	storetest.PostgresOnly(t, "a copy into PostgreSQL")
	ctx := context.Background()
	file := copySource(t)
	before := fileSum(t, file)
	to := storetest.DB(t, "cible")
	rep, err := store.Copy(ctx, file, to)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Same || !rep.OK() || len(rep.Differences) > 0 {
		t.Fatalf("copy not the same or not verified: %+v", rep)
	}
	rows := map[string]int64{}
	for _, tb := range rep.Tables {
		rows[tb.Name] = tb.Rows
		if !tb.Same {
			t.Errorf("table %s differs", tb.Name)
		}
	}
	for _, name := range []string{"regies", "counters", "journal", "payments", "allocations", "cancellations", "portal_payments",
		"payment_modes", "household_words", "households", "invoices", "portal_links", "bank_entries", "bank_decisions", "audit", "meta"} {
		if rows[name] == 0 {
			t.Errorf("table %s: no row copied (%v)", name, rows)
		}
	}
	if rep.Source.Counters == 0 || rep.Source.Entries == 0 || rep.Target.Entries != rep.Source.Entries {
		t.Fatalf("verify: source %+v, target %+v", rep.Source, rep.Target)
	}
	if got := fileSum(t, file); got != before {
		t.Fatal("the copy wrote into its source")
	}
	src, dst := openStore(t, file), openStore(t, to)
	if rep.StoreID != src.ID() || dst.ID() != src.ID() {
		t.Fatalf("store id %s → %s (report %s)", src.ID(), dst.ID(), rep.StoreID)
	}
	a, b := answers(t, src), answers(t, dst)
	if a != b {
		t.Fatalf("the copy answers otherwise:\nsource %s\ntarget %s", a, b)
	}
	for _, want := range []string{"R-ENF-ENLIGNE-2026-000001", "R-ENF-B1-2026-000010", `"linked":[{"ID":"h-0001"`, "FAC-2026-00101", `"cursor":"` + src.ID() + `:`} {
		if !strings.Contains(a, want) {
			t.Fatalf("the answers compared lack %s", want)
		}
	}
	// The copy goes on: a new payment takes the next ids and rowids, and
	// everything still verifies.
	for _, st := range []*store.Store{src, dst} {
		err := st.Update(ctx, func(tx *store.Tx) error {
			_, _, err := ledger.Record(tx, ledger.Request{Regie: "ENF", Channel: regie.ChannelOnline, Source: ledger.SourcePayFiP, Key: "IDOP-2",
				HouseholdID: "h-0001", Tenders: []regie.Tender{{Mode: regie.Online, Amount: 3_00, Reference: "IDOP-2"}},
				Allocations: []regie.Allocation{{InvoiceID: "i-0001-2", Amount: 3_00}}}, copyNow.Add(time.Hour))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		reports, err := st.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reports {
			if !r.OK() {
				t.Fatalf("after a new payment: %s", r)
			}
		}
	}
	if a, b := answers(t, src), answers(t, dst); a != b {
		t.Fatalf("after a new payment on both:\nsource %s\ntarget %s", a, b)
	}
}

// TestCopyNeverMerges: a second copy into a target that holds a city is
// refused, and changes nothing there.
func TestCopyNeverMerges(t *testing.T) {
	storetest.PostgresOnly(t, "a copy into PostgreSQL")
	ctx := context.Background()
	file := copySource(t)
	to := storetest.DB(t, "cible")
	if _, err := store.Copy(ctx, file, to); err != nil {
		t.Fatal(err)
	}
	dst := openStore(t, to)
	before, err := dst.Dump()
	if err != nil {
		t.Fatal(err)
	}
	for _, again := range []string{file, copySource(t)} {
		_, err = store.Copy(ctx, again, to)
		if regie.ErrorCodeOf(err) != regie.EConflict || !strings.Contains(err.Error(), "contient déjà des données") {
			t.Fatalf("second copy: %v", err)
		}
	}
	if after, err := dst.Dump(); err != nil || after != before {
		t.Fatalf("a refused copy changed the target (%v)", err)
	}

	// Two copies at once into one empty target: one city is copied, the
	// other refused.
	to = storetest.DB(t, "disputee")
	files := []string{copySource(t), copySource(t)}
	errs := make(chan error, 2)
	for _, f := range files {
		go func() {
			_, err := store.Copy(ctx, f, to)
			errs <- err
		}()
	}
	var ok, refused int
	for range files {
		switch err := <-errs; {
		case err == nil:
			ok++
		case regie.ErrorCodeOf(err) == regie.EConflict && strings.Contains(err.Error(), "contient déjà des données"):
			refused++
		default:
			t.Errorf("concurrent copy: %v", err)
		}
	}
	if ok != 1 || refused != 1 {
		t.Fatalf("two copies at once: %d done, %d refused", ok, refused)
	}
	one := openStore(t, to)
	reports, err := one.Verify(ctx)
	if err != nil || len(reports) == 0 {
		t.Fatalf("verify after two copies at once: %v", err)
	}
	for _, r := range reports {
		if !r.OK() {
			t.Fatalf("after two copies at once: %s", r)
		}
	}
}

// TestCopyKeepsWhatVerifyFinds: a journal edited behind the server's back
// is copied as it is, and verify reports the same break on both sides:
// the copy neither hides nor repairs anything.
func TestCopyKeepsWhatVerifyFinds(t *testing.T) {
	storetest.PostgresOnly(t, "a copy into PostgreSQL")
	file := copySource(t)
	src := openStore(t, file)
	if _, err := src.Exec(`DROP TRIGGER journal_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Exec(`UPDATE journal SET data = replace(data, '420', '42') WHERE seq = 3 AND counter_id =
		(SELECT id FROM counters WHERE code = 'B1')`); err != nil {
		t.Fatal(err)
	}
	src.Close()
	rep, err := store.Copy(context.Background(), file, storetest.DB(t, "cible"))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Same || rep.OK() || len(rep.Source.Broken) == 0 {
		t.Fatalf("tampered source: same %v, ok %v, broken %v", rep.Same, rep.OK(), rep.Source.Broken)
	}
	if !reflect.DeepEqual(rep.Source.Broken, rep.Target.Broken) || !strings.Contains(strings.Join(rep.Target.Broken, "\n"), "ENF/B1 : ROMPU à l'entrée n° 3") {
		t.Fatalf("verify differs:\nsource %q\ntarget %q", rep.Source.Broken, rep.Target.Broken)
	}
}

// TestCopyFailureLeavesTargetEmpty: when the target refuses a row midway
// (a constraint the source never had), changes one (the copy then does
// not read back as its source), or a value of the source cannot be
// written as the target's type, nothing of the copy is kept.
func TestCopyFailureLeavesTargetEmpty(t *testing.T) {
	storetest.PostgresOnly(t, "a copy into PostgreSQL")
	ctx := context.Background()
	file := copySource(t)
	to := storetest.DB(t, "cible")
	dst := openStore(t, to)
	empty, err := dst.Dump()
	if err != nil {
		t.Fatal(err)
	}
	// payments come after regies, counters, households and the journal.
	if _, err := dst.Exec(`ALTER TABLE payments ADD CONSTRAINT copy_test CHECK (receipt NOT LIKE '%-GESTION-%')`); err != nil {
		t.Fatal(err)
	}
	_, err = store.Copy(ctx, file, to)
	if err == nil || !strings.Contains(err.Error(), "table payments") || !strings.Contains(err.Error(), "copy_test") {
		t.Fatalf("copy into a refusing target: %v", err)
	}
	t.Log(err)
	if got, err := dst.Dump(); err != nil || got != empty {
		t.Fatalf("a failed copy left rows in the target (%v)", err)
	}
	if _, err := dst.Exec(`ALTER TABLE payments DROP CONSTRAINT copy_test`); err != nil {
		t.Fatal(err)
	}
	// A target that changes what it is given (a trigger that fires even
	// while the copy has the others off): the copy does not read back as
	// its source, and is not kept.
	pg, err := sql.Open("pgx", to)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`CREATE FUNCTION copy_test_rename() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN NEW.name := NEW.name || ' (modifié)'; RETURN NEW; END $$`,
		`CREATE TRIGGER copy_test_rename BEFORE INSERT ON households FOR EACH ROW EXECUTE FUNCTION copy_test_rename()`,
		`ALTER TABLE households ENABLE ALWAYS TRIGGER copy_test_rename`} {
		if _, err := pg.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_, err = store.Copy(ctx, file, to)
	if regie.ErrorCodeOf(err) != regie.EConflict || !strings.Contains(err.Error(), "table households") || !strings.Contains(err.Error(), "rien n'a été gardé") {
		t.Fatalf("copy into a target that changes rows: %v", err)
	}
	t.Log(err)
	if got, err := dst.Dump(); err != nil || got != empty {
		t.Fatalf("a copy that differs left rows in the target (%v)", err)
	}
	_, err = pg.Exec(`DROP TRIGGER copy_test_rename ON households`)
	pg.Close()
	if err != nil {
		t.Fatal(err)
	}

	src := openStore(t, file)
	for _, q := range []string{`DROP TRIGGER bank_entries_no_update`, `UPDATE bank_entries SET amount = 'beaucoup'`} {
		if _, err := src.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	src.Close()
	_, err = store.Copy(ctx, file, to)
	if err == nil || !strings.Contains(err.Error(), "table bank_entries") || !strings.Contains(err.Error(), "column amount") {
		t.Fatalf("copy of a value the target cannot hold: %v", err)
	}
	t.Log(err)
	if got, err := dst.Dump(); err != nil || got != empty {
		t.Fatalf("a failed copy left rows in the target (%v)", err)
	}
}

// TestCopyRefuses: a source at an older schema version is not migrated
// (the message says how), nor written; a column on one side only is named;
// the target must be PostgreSQL.
func TestCopyRefuses(t *testing.T) {
	storetest.PostgresOnly(t, "a copy into PostgreSQL")
	ctx := context.Background()
	file := copySource(t)
	raw, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA user_version = 14`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	before := fileSum(t, file)
	to := storetest.DB(t, "cible")
	_, err = store.Copy(ctx, file, to)
	if regie.ErrorCodeOf(err) != regie.EConflict || !strings.Contains(err.Error(), "regie-serveur migrate") {
		t.Fatalf("old source: %v", err)
	}
	if fileSum(t, file) != before {
		t.Fatal("the refused copy wrote into its source")
	}
	if _, err := store.Copy(ctx, file, filepath.Join(t.TempDir(), "autre.db")); regie.ErrorCodeOf(err) != regie.EInvalid {
		t.Fatalf("copy to SQLite: %v", err)
	}

	other := storetest.DB(t, "autre")
	db, err := sql.Open("pgx", other)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`CREATE TABLE clients (id BIGINT)`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Copy(ctx, copySource(t), other); regie.ErrorCodeOf(err) != regie.EInvalid || !strings.Contains(err.Error(), "autre logiciel") {
		t.Fatalf("a target holding another program's tables: %v", err)
	}

	file = copySource(t)
	src := openStore(t, file)
	if _, err := src.Exec(`ALTER TABLE households ADD COLUMN nickname TEXT`); err != nil {
		t.Fatal(err)
	}
	src.Close()
	if _, err := store.Copy(ctx, file, to); err == nil || !strings.Contains(err.Error(), "households.nickname") {
		t.Fatalf("a source column the target lacks: %v", err)
	}
	dst := openStore(t, to)
	if _, err := dst.Exec(`ALTER TABLE invoices ADD COLUMN note TEXT`); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Copy(ctx, copySource(t), to); err == nil || !strings.Contains(err.Error(), "invoices.note") {
		t.Fatalf("a target column the source lacks: %v", err)
	}
}

// TestCopyAsTableOwner: a role that is not a superuser may not switch the
// triggers off for its session; the copy then disables them table by
// table, as their owner, within its transaction, and enables them again:
// the projections are not rebuilt twice, and the append-only guards hold
// on the copy.
func TestCopyAsTableOwner(t *testing.T) {
	storetest.PostgresOnly(t, "a copy into PostgreSQL")
	ctx := context.Background()
	base := os.Getenv(storetest.Env)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("copie_%d", time.Now().UnixNano())
	for _, q := range []string{`CREATE ROLE ` + name + ` LOGIN`, `CREATE SCHEMA ` + name + ` AUTHORIZATION ` + name} {
		if _, err := admin.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for _, q := range []string{`DROP SCHEMA ` + name + ` CASCADE`, `DROP ROLE ` + name} {
			if _, err := admin.Exec(q); err != nil {
				t.Error(err)
			}
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(name)
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	to := u.String()
	var super bool
	if err := admin.QueryRow(`SELECT rolsuper FROM pg_roles WHERE rolname = $1`, name).Scan(&super); err != nil || super {
		t.Fatalf("role %s superuser %v (%v)", name, super, err)
	}
	file := copySource(t)
	rep, err := store.Copy(ctx, file, to)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Same || !rep.OK() {
		t.Fatalf("copy as owner: %+v", rep)
	}
	dst := openStore(t, to)
	if _, err := dst.Exec(`UPDATE journal SET agent = 'x'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("the journal's guard after the copy: %v", err)
	}
	var off int
	if err := dst.QueryRow(`SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE NOT t.tgisinternal AND t.tgenabled = 'D' AND c.relnamespace = current_schema()::regnamespace`).Scan(&off); err != nil || off != 0 {
		t.Fatalf("%d triggers left disabled (%v)", off, err)
	}
	if a, b := answers(t, openStore(t, file)), answers(t, dst); a != b {
		t.Fatalf("the copy answers otherwise:\nsource %s\ntarget %s", a, b)
	}
}

// TestRedactHidesPasswords: an address as the commands show it carries no
// password, neither in its user part nor as a parameter pgx reads.
func TestRedactHidesPasswords(t *testing.T) {
	for _, db := range []string{"postgres://regie:s3cret@h:5432/regie", "postgresql://regie@h/regie?password=s3cret&sslmode=require",
		"postgres://regie:s3cret@h/regie?password=s3cret"} {
		if got := store.Redact(db); strings.Contains(got, "s3cret") || !strings.Contains(got, "@h") {
			t.Errorf("Redact(%q) = %q", db, got)
		}
	}
	if got := store.Redact("/var/lib/regie/serveur.db"); got != "/var/lib/regie/serveur.db" {
		t.Errorf("a file: %q", got)
	}
}

// TestCopyWhileServing: payments recorded into the file while it is
// copied are either wholly in the copy (journal, payment, projections,
// invoice) or not at all: the copy reads one instant of the file, and
// verify holds on both sides.
func TestCopyWhileServing(t *testing.T) {
	storetest.PostgresOnly(t, "a copy into PostgreSQL")
	ctx := context.Background()
	file := copySource(t)
	src := openStore(t, file)
	stop, done := make(chan struct{}), make(chan int)
	go func() {
		n := 0
		defer func() { done <- n }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			key := fmt.Sprintf("IDOP-LIVE-%d", n)
			err := src.Update(ctx, func(tx *store.Tx) error {
				_, _, err := ledger.Record(tx, ledger.Request{Regie: "ENF", Channel: regie.ChannelOnline, Source: ledger.SourcePayFiP, Key: key,
					HouseholdID: "h-0002", Tenders: []regie.Tender{{Mode: regie.Online, Amount: 1, Reference: key}},
					Allocations: []regie.Allocation{{InvoiceID: "i-0002-1", Amount: 1}}}, copyNow.Add(time.Minute))
				return err
			})
			if err != nil {
				t.Error(err)
				return
			}
			n++
		}
	}()
	time.Sleep(100 * time.Millisecond)
	rep, err := store.Copy(ctx, file, storetest.DB(t, "cible"))
	close(stop)
	written := <-done
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Same || !rep.OK() {
		t.Fatalf("copy while serving: same %v, source %v, target %v", rep.Same, rep.Source.Broken, rep.Target.Broken)
	}
	var copied int64
	for _, tb := range rep.Tables {
		if tb.Name == "payments" {
			copied = tb.Rows
		}
	}
	t.Logf("%d payments recorded during the copy; %d payments copied", written, copied)
	if written == 0 {
		t.Fatal("nothing was written during the copy")
	}
}
