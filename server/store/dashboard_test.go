package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

func openScenario(t *testing.T) (*store.Store, *servertest.Dashboard) {
	t.Helper()
	st, err := store.Open(context.Background(), storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	servertest.Seed(t, st)
	return st, servertest.DashboardScenario(t, st)
}

func counterID(t *testing.T, st *store.Store, regieCode, code string) int64 {
	t.Helper()
	var id int64
	if err := st.QueryRow(`SELECT id FROM counters WHERE regie = ? AND code = ?`, regieCode, code).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func byCode(t testing.TB, d store.RegieDashboard, code string) store.CounterDashboard {
	t.Helper()
	for _, c := range d.Counters {
		if c.Counter.Code == code {
			return c
		}
	}
	t.Fatalf("no counter %s in %s", code, d.Regie.Code)
	return store.CounterDashboard{}
}

// TestDashboardFigures: each figure of the scenario's counters is what
// their journals say — cash and cheques held against the plafond, the
// cheque held past the next day, the day not closed, the déficit and its
// comment, the deposit overdue, the entries a counter reported and the
// server lacks, a refused push, the last verification — and the alerts
// come most urgent first, then oldest.
func TestDashboardFigures(t *testing.T) {
	st, sc := openScenario(t)
	ctx := context.Background()
	g2, g3 := counterID(t, st, "ENF", "G2"), counterID(t, st, "ENF", "G3")
	refusedAt := sc.Now.Add(-time.Hour)
	if err := st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SawCounter(g2, 6, sc.Now.Add(-10*time.Minute)); err != nil {
			return err
		}
		// One refusal before the counter's last push (since resolved), two after.
		for _, at := range []time.Time{sc.Now.Add(-4 * time.Hour), sc.Now.Add(-2 * time.Hour), refusedAt} {
			if err := tx.RecordRefusal(g3, store.Refusal{At: at, Status: 422, Seq: 4, Code: "day_closed",
				Message: "Entrée n° 4 refusée : journée close."}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.VerifyAndRecord(ctx, func() time.Time { return sc.Now.Add(-2 * time.Hour) }); err != nil {
		t.Fatal(err)
	}
	ds, err := st.Dashboard(ctx, []string{"ENF"}, sc.Now)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Regie.Code != "ENF" || ds[0].Today != "2026-11-20" {
		t.Fatalf("régies: %+v", ds)
	}
	d := ds[0]
	if codes := []string{d.Counters[0].Counter.Code, d.Counters[1].Counter.Code, d.Counters[2].Counter.Code}; len(d.Counters) != 3 ||
		!slices.Equal(codes, []string{"G1", "G2", "G3"}) {
		t.Fatalf("counters: %v", codes)
	}
	c1 := byCode(t, d, "G1")
	if c1.Cash != 3_450_00 || c1.ChecksTotal != 45_00 || c1.Held != 3_345_00 {
		t.Errorf("G1 cash %s, cheques %s, held %s", c1.Cash, c1.ChecksTotal, c1.Held)
	}
	if len(c1.Checks) != 1 || c1.Checks[0].Number != "0001234" || c1.Checks[0].Day != "2026-11-18" || len(c1.Late) != 1 {
		t.Errorf("G1 cheques %+v late %+v", c1.Checks, c1.Late)
	}
	if !slices.Equal(c1.Unclosed, []string{"2026-11-19"}) {
		t.Errorf("G1 days not closed: %v", c1.Unclosed)
	}
	if c1.LastDeposit != "" || c1.DepositClock != "2026-11-02" || c1.DepositDays != 18 || !c1.DepositLate {
		t.Errorf("G1 deposit: %q %q %d late %v", c1.LastDeposit, c1.DepositClock, c1.DepositDays, c1.DepositLate)
	}
	if c1.Pending != -1 || c1.ReportedHead != -1 || c1.Head != 18 {
		t.Errorf("G1 head %d, reported %d, pending %d", c1.Head, c1.ReportedHead, c1.Pending)
	}
	c2 := byCode(t, d, "G2")
	if len(c2.Differences) != 1 || c2.Differences[0].Cash != -2_00 || c2.Differences[0].Comment != servertest.DashboardComment ||
		c2.Differences[0].Day != "2026-11-16" {
		t.Errorf("G2 differences: %+v", c2.Differences)
	}
	if c2.Cash != 158_00 || c2.Held != 8_00 || c2.LastDeposit != "2026-11-16" || c2.DepositDue || len(c2.Unclosed) != 0 {
		t.Errorf("G2 cash %s held %s deposit %s due %v unclosed %v", c2.Cash, c2.Held, c2.LastDeposit, c2.DepositDue, c2.Unclosed)
	}
	if c2.Head != 4 || c2.ReportedHead != 6 || c2.Pending != 2 {
		t.Errorf("G2 head %d, reported %d, pending %d", c2.Head, c2.ReportedHead, c2.Pending)
	}
	c3 := byCode(t, d, "G3")
	if len(c3.Refusals) != 3 || !c3.RefusalsOpen || c3.Refusals[0].Code != "day_closed" || c3.Refusals[0].Seq != 4 ||
		!c3.Refusals[0].At.Equal(refusedAt) || c3.Blocked != 2 || !c3.BlockedSince.Equal(sc.Now.Add(-2*time.Hour)) {
		t.Errorf("G3 refusals: %+v open %v, %d since %v", c3.Refusals, c3.RefusalsOpen, c3.Blocked, c3.BlockedSince)
	}
	if c3.Chain == nil || !c3.Chain.OK() || c3.Chain.Entries != 3 || c3.Held != 0 {
		t.Errorf("G3 chain %+v held %s", c3.Chain, c3.Held)
	}
	if d.Held != 3_353_00 || !d.OverCeiling {
		t.Errorf("régie held %s over %v", d.Held, d.OverCeiling)
	}
	var kinds []string
	for _, a := range d.Alerts {
		kinds = append(kinds, a.Level.Label()+":"+a.Kind+":"+a.Counter)
	}
	want := []string{"critique:deposit_late:G1", "critique:sync_refused:G3", "critique:ceiling:",
		"important:difference:G2", "important:checks_late:G1", "important:day_unclosed:G1", "info:pending:G2"}
	if !slices.Equal(kinds, want) {
		t.Errorf("alerts\n got %v\nwant %v", kinds, want)
	}
	if m := d.Alerts[1].Message; m != "Synchronisation refusée 2 fois depuis le 20/11/2026, en dernier à l'entrée n° 4 : Entrée n° 4 refusée : journée close." {
		t.Errorf("refusal alert: %s", m)
	}
	if _, err := st.Exec(`UPDATE sync_refusals SET code = 'x'`); err == nil {
		t.Error("the refusals take updates")
	}
}

// TestDashboardScope: the dashboard reads only the régies it is given: an
// empty list gives nothing, an unknown code nothing, one régie never the
// other's counters or alerts.
func TestDashboardScope(t *testing.T) {
	st, sc := openScenario(t)
	ctx := context.Background()
	for _, tc := range []struct {
		regies []string
		want   []string
	}{{nil, nil}, {[]string{}, nil}, {[]string{"NOPE"}, nil}, {[]string{"PIS"}, []string{"PIS"}},
		{[]string{"PIS", "ENF", "PIS"}, []string{"PIS", "ENF"}}} {
		ds, err := st.Dashboard(ctx, tc.regies, sc.Now)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range ds {
			got = append(got, d.Regie.Code)
			for _, c := range d.Counters {
				if c.Counter.Regie != d.Regie.Code {
					t.Errorf("%s shows counter %s/%s", d.Regie.Code, c.Counter.Regie, c.Counter.Code)
				}
			}
			for _, a := range d.Alerts {
				if a.Regie != d.Regie.Code {
					t.Errorf("%s shows an alert of %s", d.Regie.Code, a.Regie)
				}
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%v: got %v", tc.regies, got)
		}
	}
	ds, _ := st.Dashboard(ctx, []string{"PIS"}, sc.Now)
	if p1 := byCode(t, ds[0], "P1"); !slices.Equal(p1.Unclosed, []string{"2026-11-18"}) || p1.Cash != 180_00 {
		t.Errorf("P1: unclosed %v cash %s", p1.Unclosed, p1.Cash)
	}
}

// TestDashboardBrokenChain: a copy of the server file whose journal was
// edited through SQL (the triggers dropped) is caught by the verification,
// whose result the dashboard shows as the chain broken at that entry.
func TestDashboardBrokenChain(t *testing.T) {
	storetest.SQLiteOnly(t, "a copy of the file made with VACUUM INTO and edited with the triggers dropped")
	st, sc := openScenario(t)
	ctx := context.Background()
	copyPath := filepath.Join(t.TempDir(), "copie.db")
	if _, err := st.Exec(`VACUUM INTO ?`, copyPath); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", copyPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER journal_no_update`,
		`UPDATE journal SET data = replace(data, '1200', '1300') WHERE seq = 2 AND counter_id = (SELECT id FROM counters WHERE code = 'G3')`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()
	cp, err := store.Open(ctx, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if _, err := cp.VerifyAndRecord(ctx, func() time.Time { return sc.Now }); err != nil {
		t.Fatal(err)
	}
	ds, err := cp.Dashboard(ctx, []string{"ENF"}, sc.Now)
	if err != nil {
		t.Fatal(err)
	}
	c3 := byCode(t, ds[0], "G3")
	if c3.Chain == nil || c3.Chain.BrokenSeq != 2 || c3.Chain.OK() {
		t.Fatalf("G3 chain: %+v", c3.Chain)
	}
	if !slices.ContainsFunc(ds[0].Alerts, func(a store.Alert) bool {
		return a.Kind == "chain_broken" && a.Counter == "G3" && a.Level == store.Critique && a.Message == "Chaîne du journal rompue à l'entrée n° 2 ("+c3.Chain.BrokenMotif+")."
	}) {
		t.Errorf("no alert for the broken chain: %+v", ds[0].Alerts)
	}
	if g1 := byCode(t, ds[0], "G1"); g1.Chain == nil || !g1.Chain.OK() {
		t.Errorf("G1 chain: %+v", g1.Chain)
	}
	// The checks are append-only.
	if _, err := cp.Exec(`DELETE FROM chain_checks`); err == nil {
		t.Error("a chain check was deleted")
	}
}

// TestDashboardChequeSpelledOddly: a counter may send an entry's data in
// any JSON spelling that has the same canonical form (the hash is over the
// canonical bytes); a cheque whose mode is written with an escape is still
// a cheque held.
func TestDashboardChequeSpelledOddly(t *testing.T) {
	st, sc := openScenario(t)
	ctx := context.Background()
	var last regie.Entry
	var data string
	if err := st.QueryRow(`SELECT seq, id, kind, at, agent, data, hash FROM journal WHERE counter_id = ? ORDER BY seq DESC LIMIT 1`,
		counterID(t, st, "PIS", "P1")).Scan(&last.Seq, &last.ID, &last.Kind, new(string), &last.Agent, &data, &last.Hash); err != nil {
		t.Fatal(err)
	}
	var p regie.Payment
	if err := json.Unmarshal([]byte(data), &p); err != nil {
		t.Fatal(err)
	}
	p.ID, p.Receipt, p.At = "P1-odd", regie.ReceiptNumber("PIS", "P1", 2026, 2), p.At.Add(time.Minute)
	p.Tenders = []regie.Tender{{Mode: regie.Check, Amount: 30_00, CheckNumber: "77", Bank: "B", Drawer: "D"}}
	e, err := regie.NewEntry(&last, "P1", regie.KindPayment, p.ID, last.Agent, p.At, &p)
	if err != nil {
		t.Fatal(err)
	}
	odd := strings.Replace(string(e.Data), `"mode":"check"`, `"mode":"\u0063he\u0063k"`, 1)
	if odd == string(e.Data) {
		t.Fatalf("no cheque in %s", e.Data)
	}
	e.Data = json.RawMessage(odd)
	servertest.Push(t, st, "PIS", "P1", []regie.Entry{*e}, sc.Now)
	ds, err := st.Dashboard(ctx, []string{"PIS"}, sc.Now)
	if err != nil {
		t.Fatal(err)
	}
	if p1 := byCode(t, ds[0], "P1"); len(p1.Checks) != 1 || p1.Checks[0].Number != "77" || p1.ChecksTotal != 30_00 {
		t.Errorf("P1 cheques: %+v", p1.Checks)
	}
}

// TestDashboardCounterBehindServer: a counter that says its journal ends
// before what the server received (its file replaced or restored) is a
// critical alert, and no entry is counted as pending.
func TestDashboardCounterBehindServer(t *testing.T) {
	st, sc := openScenario(t)
	ctx := context.Background()
	g1 := counterID(t, st, "ENF", "G1")
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.SawCounter(g1, 5, sc.Now) }); err != nil {
		t.Fatal(err)
	}
	ds, err := st.Dashboard(ctx, []string{"ENF"}, sc.Now)
	if err != nil {
		t.Fatal(err)
	}
	if c := byCode(t, ds[0], "G1"); c.Pending != 0 || c.ReportedHead != 5 {
		t.Errorf("G1 pending %d reported %d", c.Pending, c.ReportedHead)
	}
	if !slices.ContainsFunc(ds[0].Alerts, func(a store.Alert) bool {
		return a.Kind == "head_behind" && a.Counter == "G1" && a.Level == store.Critique && strings.Contains(a.Message, "déclare 5 entrée(s) quand le serveur en a reçu 18")
	}) {
		t.Errorf("no alert for G1 behind the server: %+v", ds[0].Alerts)
	}
	// A later visit without the header (an older program) keeps the head.
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.SawCounter(g1, -1, sc.Now.Add(time.Minute)) }); err != nil {
		t.Fatal(err)
	}
	ds, _ = st.Dashboard(ctx, []string{"ENF"}, sc.Now)
	if c := byCode(t, ds[0], "G1"); c.ReportedHead != 5 || !c.Seen.Equal(sc.Now.Add(time.Minute)) {
		t.Errorf("after a visit without head: reported %d seen %v", c.ReportedHead, c.Seen)
	}
}

// TestDashboardSilentCounters: a counter enrolled that never synced, and
// counters silent for more than two days, are told; a journal the server
// never verified too.
func TestDashboardSilentCounters(t *testing.T) {
	st, sc := openScenario(t)
	ctx := context.Background()
	if err := st.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.CreateCounter(regie.Counter{Regie: "PIS", Code: "P9", Name: "Guichet P9"}, "h9", sc.Now.Add(time.Hour), sc.Now); err != nil {
			return err
		}
		_, err := tx.Enrol("h9", "c9", sc.Now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	ds, err := st.Dashboard(ctx, []string{"PIS"}, sc.Now.Add(72*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range ds[0].Alerts {
		if a.Level == store.Info {
			got = append(got, a.Kind+":"+a.Counter+":"+a.Message)
		}
	}
	want := []string{"chain_unverified:P1:Journal pas encore vérifié par le serveur.",
		"silent:P1:Aucune nouvelle du poste depuis le 20/11/2026.", "silent:P9:Le poste n'a jamais synchronisé."}
	if !slices.Equal(got, want) {
		t.Errorf("info alerts\n got %q\nwant %q", got, want)
	}
}
