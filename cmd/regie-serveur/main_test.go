package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	appstore "github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/sync/client"

	_ "modernc.org/sqlite"
)

// cli runs the program in-process with the given environment.
type cli struct {
	t   *testing.T
	env map[string]string
}

func (c *cli) run(args ...string) (code int, stdout, stderr string) {
	c.t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, env{get: func(k string) string { return c.env[k] }, stdin: strings.NewReader("")}, &out, &errb)
	return code, out.String(), errb.String()
}

func (c *cli) ok(args ...string) string {
	c.t.Helper()
	code, out, errs := c.run(args...)
	if code != 0 {
		c.t.Fatalf("regie-serveur %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// TestAdministrationAndServe drives the program as an administrator would:
// a régie, a counter, an agent, a tariff, an import; then serve, a counter
// enrolled with the printed code that cashes and syncs; then export, verify,
// and a journal tampered with by hand that verify catches.
func TestAdministrationAndServe(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "serveur.db")
	pinFile := filepath.Join(dir, "pin")
	os.WriteFile(pinFile, []byte("1234\n"), 0o600)
	c := &cli{t: t, env: map[string]string{"REGIE_DB": db, "REGIE_AGENT_PIN_FILE": pinFile}}

	c.ok("regie", "create", "--code", "ENF", "--name", "Régie Enfance", "--modes", "cash,check", "--cash-ceiling", "3 000",
		"--float", "150", "--deposit-days", "7", "--partial")
	if code, _, errs := c.run("regie", "create", "--code", "ENF", "--name", "x", "--modes", "cash"); code != 1 || !strings.Contains(errs, "existe déjà") {
		t.Fatalf("second create: %d %s", code, errs)
	}
	c.ok("regie", "update", "--code", "ENF", "--cash-limit", "250")
	if out := c.ok("regie", "list"); !strings.Contains(out, "ENF\tRégie Enfance\tmodes cash,check\tplafond 3\u00a0000,00\u00a0€") {
		t.Fatalf("regie list: %q", out)
	}
	out := c.ok("counter", "create", "--regie", "ENF", "--code", "C01", "--name", "Accueil")
	enrol := regexp.MustCompile(`[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}`).FindString(out)
	if enrol == "" {
		t.Fatalf("no enrolment code in %q", out)
	}
	c.ok("agent", "create", "--regie", "ENF", "--login", "mdupont", "--name", "Marie Dupont", "--role", "regisseur")
	if code, _, errs := c.run("agent", "create", "--regie", "ENF", "--login", "x", "--name", "X", "--role", "chef"); code != 1 || !strings.Contains(errs, "Rôle inconnu") {
		t.Fatalf("bad role: %d %s", code, errs)
	}
	// The command line and the back-office write through the same store
	// rules: a login taken, a time zone unknown, a list of reasons with a
	// reason twice are refused here too.
	for _, refused := range []struct {
		args []string
		want string
	}{
		{[]string{"agent", "create", "--regie", "ENF", "--login", "mdupont", "--name", "Autre", "--role", "mandataire"}, "déjà celui d'un agent"},
		{[]string{"regie", "update", "--code", "ENF", "--timezone", "Mars/Olympus"}, "Fuseau horaire inconnu"},
		{[]string{"regie", "update", "--code", "ENF", "--cancel-reason", "Livre rendu", "--cancel-reason", "Livre rendu"}, "figure deux fois"},
		{[]string{"tariff", "set", "--regie", "ENF", "--code", "A B", "--label", "X", "--price", "1"}, "sans espace"},
	} {
		if code, _, errs := c.run(refused.args...); code != 1 || !strings.Contains(errs, refused.want) {
			t.Fatalf("%v: %d %s", refused.args, code, errs)
		}
	}
	c.ok("regie", "update", "--code", "ENF", "--cancel-reason", "Erreur de saisie du montant", "--cancel-reason", "Autre motif")
	if out := c.ok("regie", "list", "--json"); !regexp.MustCompile(`"cancel_reasons": \[\s*"Erreur de saisie du montant",\s*"Autre motif"\s*\]`).MatchString(out) {
		t.Fatalf("own reasons: %s", out)
	}
	c.ok("regie", "update", "--code", "ENF", "--default-cancel-reasons")
	if out := c.ok("regie", "list", "--json"); strings.Contains(out, "cancel_reasons") {
		t.Fatalf("default reasons: %s", out)
	}
	c.ok("tariff", "set", "--regie", "ENF", "--code", "PISC", "--label", "Piscine", "--price", "4,20")
	csvPath := filepath.Join(dir, "foyers.csv")
	os.WriteFile(csvPath, []byte("id_foyer;compte;nom\nF1;A1;Lefèvre\n"), 0o600)
	invPath := filepath.Join(dir, "factures.csv")
	os.WriteFile(invPath, []byte("id_facture;numero;id_foyer;regie;libelle;ligne;quantite;prix_unitaire;montant\nI1;FAC-1;F1;ENF;Cantine;Repas;2;3,85;7,70\n"), 0o600)
	c.ok("import", csvPath, invPath)
	os.WriteFile(invPath, []byte("id_facture;numero;id_foyer;regie;libelle;ligne;quantite;prix_unitaire;montant\nI2;FAC-2;F9;ENF;Cantine;Repas;2;3,85;7,70\n"), 0o600)
	if code, _, errs := c.run("import", invPath); code != 1 || !strings.Contains(errs, "ligne 2 : foyer inconnu : F9") {
		t.Fatalf("bad import: %d %s", code, errs)
	}

	// serve, with its address from the environment and a free port.
	c.env["REGIE_ADDR"] = "127.0.0.1:0"
	ctx, stop := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"serve"}, env{get: func(k string) string { return c.env[k] }, ready: ready}, io.Discard, io.Discard)
	}()
	var addr string
	select {
	case addr = <-ready:
	case code := <-exited:
		t.Fatalf("serve exited %d", code)
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	k := cashAtCounter(t, "http://"+addr, enrol, filepath.Join(dir, "C01.db"))
	stop()
	if code := <-exited; code != 0 {
		t.Fatalf("serve exited %d after the signal", code)
	}

	today := time.Now().Format(time.DateOnly)
	csvOut := c.ok("export", "--since", today)
	if !strings.Contains(csvOut, "paiement;") || !strings.Contains(csvOut, ";"+k.Receipt+";ENF;C01;") || !strings.Contains(csvOut, ";7,70;0,00;cash;cash=7,70;7,70;") {
		t.Fatalf("CSV export:\n%s", csvOut)
	}
	if js := c.ok("export", "--since", today, "--format", "json"); !strings.Contains(js, `"receipt": "`+k.Receipt+`"`) || !strings.Contains(js, `"amount": 770`) {
		t.Fatalf("JSON export:\n%s", js)
	}
	if out := c.ok("verify"); !strings.Contains(out, "ENF/C01 : 4 entrée(s), chaîne intacte") {
		t.Fatalf("verify: %s", out)
	}
	// Someone edits a payment in the server's file by hand.
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
	if code, out, _ := c.run("verify"); code != 1 || !strings.Contains(out, "ROMPU à l'entrée n° 4") {
		t.Fatalf("verify after tampering: %d %s", code, out)
	}
	c.ok("counter", "revoke", "--regie", "ENF", "--code", "C01")
	if out := c.ok("counter", "list"); !strings.Contains(out, "C01\tAccueil\trévoqué\t4 entrée(s)") {
		t.Fatalf("counter list: %q", out)
	}
}

// cashAtCounter enrols a counter file with the code, syncs to get the
// régie, cashes the imported invoice and syncs again.
func cashAtCounter(t *testing.T, server, enrol, path string) *regie.Payment {
	t.Helper()
	ctx := context.Background()
	st, err := appstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := app.New(app.Adapt(st))
	sc := client.New(c, client.Options{})
	if _, err := sc.Enrol(ctx, server, strings.ToLower(enrol)); err != nil {
		t.Fatal(err)
	}
	if err := sc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := c.Login(ctx, "mdupont", "1234")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.OpenSession(ctx, a, nil, 150_00); err != nil {
		t.Fatal(err)
	}
	p, err := c.RecordPayment(ctx, a, app.PaymentRequest{HouseholdID: "F1",
		Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: 7_70}},
		Allocations: []regie.Allocation{{InvoiceID: "I1", Amount: 7_70}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	return p
}
