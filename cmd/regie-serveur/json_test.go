package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/store"
)

// okJSON runs a command with --json (before import's file names) and
// decodes its stdout into v.
func (c *cli) okJSON(v any, args ...string) {
	c.t.Helper()
	if args[0] == "import" {
		args = append([]string{"import", "--json"}, args[1:]...)
	} else {
		args = append(args, "--json")
	}
	out := c.ok(args...)
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		c.t.Fatalf("regie-serveur %s --json: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestAdministrationJSON drives every administration command with --json
// and reads the answers as a script would: keys in English, amounts in
// cents, the enrolment code usable as is; a refusal is a JSON error too.
func TestAdministrationJSON(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "serveur.db")
	pinFile := filepath.Join(dir, "pin")
	os.WriteFile(pinFile, []byte("1234\n"), 0o600)
	c := &cli{t: t, env: map[string]string{"REGIE_DB": db, "REGIE_AGENT_PIN_FILE": pinFile}}

	var r struct {
		Code              string   `json:"code"`
		Name              string   `json:"name"`
		Modes             []string `json:"modes"`
		CashCeiling       int64    `json:"cash_ceiling"`
		Float             int64    `json:"float"`
		DepositPeriodDays int      `json:"deposit_period_days"`
		CashLimit         int64    `json:"cash_limit"`
		PartialPayments   bool     `json:"partial_payments"`
		AnonymousSales    bool     `json:"anonymous_sales"`
		Timezone          string   `json:"timezone"`
	}
	c.okJSON(&r, "regie", "create", "--code", "ENF", "--name", "Régie Enfance", "--modes", "cash,check", "--cash-ceiling", "3 000", "--float", "150")
	if r.Code != "ENF" || r.CashCeiling != 3000_00 || r.Float != 150_00 || len(r.Modes) != 2 || r.CashLimit != 300_00 {
		t.Fatalf("regie create: %+v", r)
	}
	c.okJSON(&r, "regie", "update", "--code", "ENF", "--cash-limit", "250,50")
	if r.CashLimit != 250_50 || r.Name != "Régie Enfance" {
		t.Fatalf("regie update: %+v", r)
	}
	var rs []map[string]any
	c.ok("regie", "list") // text still works
	if out := c.ok("regie", "list", "--json"); json.Unmarshal([]byte(out), &rs) != nil || len(rs) != 1 || rs[0]["code"] != "ENF" {
		t.Fatalf("regie list: %s", out)
	}

	var enrol struct {
		Regie     string    `json:"regie"`
		Counter   string    `json:"counter"`
		Code      string    `json:"code"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	c.okJSON(&enrol, "counter", "create", "--regie", "ENF", "--code", "C01", "--name", "Accueil")
	if enrol.Regie != "ENF" || enrol.Counter != "C01" || len(enrol.Code) != 19 || time.Until(enrol.ExpiresAt) < 6*24*time.Hour {
		t.Fatalf("counter create: %+v", enrol)
	}
	var again = enrol
	c.okJSON(&again, "counter", "code", "--regie", "ENF", "--code", "C01")
	if again.Code == enrol.Code || again.Counter != "C01" {
		t.Fatalf("counter code: %+v", again)
	}

	var agent map[string]any
	c.okJSON(&agent, "agent", "create", "--regie", "ENF", "--login", "mdupont", "--name", "Marie Dupont", "--role", "regisseur")
	if agent["login"] != "mdupont" || agent["role"] != "regisseur" || agent["active"] != true || agent["id"] == "" {
		t.Fatalf("agent create: %v", agent)
	}
	c.okJSON(&agent, "agent", "update", "--regie", "ENF", "--login", "mdupont", "--disable")
	if agent["active"] != false {
		t.Fatalf("agent update: %v", agent)
	}
	var agents []map[string]any
	c.okJSON(&agents, "agent", "list", "--regie", "ENF")
	if len(agents) != 1 || agents[0]["login"] != "mdupont" {
		t.Fatalf("agent list: %v", agents)
	}
	for _, a := range append(agents, agent) {
		if _, ok := a["pin_hash"]; ok {
			t.Fatal("the PIN's hash is shown")
		}
	}

	var item map[string]any
	c.okJSON(&item, "tariff", "set", "--regie", "ENF", "--code", "PISC", "--label", "Piscine", "--price", "4,20")
	if item["regie"] != "ENF" || item["code"] != "PISC" || item["price"] != float64(420) {
		t.Fatalf("tariff set: %v", item)
	}

	csvPath := filepath.Join(dir, "foyers.csv")
	os.WriteFile(csvPath, []byte("id_foyer;compte;nom\nF1;A1;Lefèvre\n"), 0o600)
	invPath := filepath.Join(dir, "factures-ok.csv")
	os.WriteFile(invPath, []byte("id_facture;numero;id_foyer;regie;libelle;ligne;quantite;prix_unitaire;montant\nI1;FAC-1;F1;ENF;Cantine;Repas;2;3,85;7,70\n"), 0o600)
	var sum map[string]int
	c.okJSON(&sum, "import", csvPath, invPath)
	if sum["households"] != 1 || sum["invoices"] != 1 {
		t.Fatalf("import: %v", sum)
	}
	bad := filepath.Join(dir, "factures.csv")
	os.WriteFile(bad, []byte("id_facture;numero;id_foyer;regie;libelle;ligne;quantite;prix_unitaire;montant\nI2;FAC-2;F9;ENF;Cantine;Repas;2;3,85;7,70\n"), 0o600)
	code, out, errs := c.run("import", "--json", bad)
	var refusal struct {
		Error struct {
			Code     string `json:"code"`
			Message  string `json:"message"`
			Problems []struct {
				File   string `json:"file"`
				Line   int    `json:"line"`
				Reason string `json:"reason"`
			} `json:"problems"`
		} `json:"error"`
	}
	if code != 1 || json.Unmarshal([]byte(out), &refusal) != nil || refusal.Error.Code != "import_refused" ||
		len(refusal.Error.Problems) != 1 || refusal.Error.Problems[0].Line != 2 || !strings.Contains(errs, "foyer inconnu") {
		t.Fatalf("refused import: %d %s %s", code, out, errs)
	}
	code, out, _ = c.run("counter", "create", "--regie", "ENF", "--code", "C01", "--json")
	if code != 1 || json.Unmarshal([]byte(out), &refusal) != nil || refusal.Error.Code != "conflict" || !strings.Contains(refusal.Error.Message, "existe déjà") {
		t.Fatalf("duplicate counter: %d %s", code, out)
	}

	// The code from the JSON enrols a counter as is.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(st, api.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	c.ok("agent", "update", "--regie", "ENF", "--login", "mdupont", "--enable")
	cashAtCounter(t, srv.URL, again.Code, filepath.Join(dir, "C01.db"))
	srv.Close()
	st.Close()

	var counters []struct {
		Regie   string `json:"regie"`
		Counter string `json:"counter"`
		Name    string `json:"name"`
		State   string `json:"state"`
		Entries int64  `json:"entries"`
	}
	c.okJSON(&counters, "counter", "list")
	if len(counters) != 1 || counters[0].State != "enrolled" || counters[0].Entries < 3 {
		t.Fatalf("counter list: %+v", counters)
	}
	exportPath := filepath.Join(dir, "export.csv")
	var exp map[string]any
	c.okJSON(&exp, "export", "--since", time.Now().Format(time.DateOnly), "--out", exportPath)
	if exp["movements"] != float64(1) || exp["file"] != exportPath || exp["format"] != "csv" {
		t.Fatalf("export: %v", exp)
	}
	if code, _, errs := c.run("export", "--since", "2026-01-01", "--json"); code != 2 || !strings.Contains(errs, "--out") {
		t.Fatalf("export --json without --out: %d %s", code, errs)
	}
	var ver struct {
		OK       bool `json:"ok"`
		Broken   int  `json:"broken"`
		Counters []struct {
			Regie    string          `json:"regie"`
			Counter  string          `json:"counter"`
			Entries  int64           `json:"entries"`
			LastHash string          `json:"last_hash"`
			OK       bool            `json:"ok"`
			Broken   json.RawMessage `json:"broken"`
			Problems []struct {
				Seq     int64  `json:"seq"`
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"problems"`
		} `json:"counters"`
		Audit struct {
			Entries  int64  `json:"entries"`
			BrokenAt int64  `json:"broken_at"`
			Problem  string `json:"problem"`
		} `json:"audit"`
	}
	c.okJSON(&ver, "verify")
	if !ver.OK || ver.Broken != 0 || len(ver.Counters) != 1 || string(ver.Counters[0].Broken) != "null" || len(ver.Counters[0].LastHash) != 64 ||
		!ver.Counters[0].OK || len(ver.Counters[0].Problems) != 0 {
		t.Fatalf("verify: %+v", ver)
	}
	// A payment edited by hand in the server's file: verify says where.
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER journal_no_update`,
		`UPDATE journal SET data = replace(data, '"total":770', '"total":7') WHERE kind = 'payment'`} {
		if _, err := sqldb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	sqldb.Close()
	code, out, _ = c.run("verify", "--json")
	var broken struct {
		OK       bool `json:"ok"`
		Broken   int  `json:"broken"`
		Counters []struct {
			Broken *struct {
				Seq     int64  `json:"seq"`
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"broken"`
		} `json:"counters"`
	}
	if code != 1 || json.Unmarshal([]byte(out), &broken) != nil || broken.OK || broken.Broken < 1 ||
		broken.Counters[0].Broken == nil || broken.Counters[0].Broken.Seq != 4 || broken.Counters[0].Broken.Message == "" ||
		broken.Counters[0].Broken.Code != "chain_broken" {
		t.Fatalf("verify after tampering: %d %s", code, out)
	}

	var rev map[string]any
	c.okJSON(&rev, "counter", "revoke", "--regie", "ENF", "--code", "C01")
	if rev["revoked"] != true || rev["counter"] != "C01" {
		t.Fatalf("revoke: %v", rev)
	}
}
