package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// linkedLongAgo makes a server file with a household linked on the portal
// three years ago, and never visited since.
func linkedLongAgo(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "serveur.db")
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Update(ctx, func(tx *store.Tx) error {
		return tx.UpsertHousehold(&regie.Household{ID: "H1", Account: "F1", Name: "Martin", AccessCode: "CODE1",
			Members: []regie.Member{{FirstName: "Paul", LastName: "Martin", BirthDate: "1980-01-01", Holder: true}}})
	}); err != nil {
		t.Fatal(err)
	}
	at := time.Now().AddDate(-3, 0, 0)
	if _, err := st.Portal().Link(ctx, portal.LinkRequest{Org: "ville", Subject: "sub-paul", FamilyName: "Martin", BirthDate: "1980-01-01",
		AccessCode: "CODE1", At: at, Day: at.Format(time.DateOnly), Since: at.Add(-time.Hour), LimitIdentity: 5}); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestPurgeCommand: `purge` deletes the portal account inactive for longer
// than the retention, says so in French (or in JSON), and refuses a
// retention that is not a number of months.
func TestPurgeCommand(t *testing.T) {
	c := &cli{t: t, env: map[string]string{"REGIE_DB": linkedLongAgo(t), "REGIE_PORTAL_RETENTION_MONTHS": "48"}}
	var got struct {
		Months   int `json:"months"`
		Accounts int `json:"accounts"`
		Links    int `json:"links"`
		Visits   int `json:"visits"`
		Failures int `json:"failures"`
	}
	c.okJSON(&got, "purge")
	if got.Months != 48 || got.Accounts != 0 || got.Links != 0 {
		t.Fatalf("48 months: %+v", got)
	}
	out := c.ok("purge", "--months", "24")
	if !strings.Contains(out, "1 compte sans activité depuis 24 mois effacé (1 lien vers un foyer, 1 visite)") ||
		!strings.Contains(out, "journaux des postes sont conservés") {
		t.Fatalf("purge: %s", out)
	}
	delete(c.env, "REGIE_PORTAL_RETENTION_MONTHS")
	c.okJSON(&got, "purge")
	if got.Months != 24 || got.Accounts != 0 {
		t.Fatalf("second purge: %+v", got)
	}
	for _, bad := range []string{"0", "deux", "121", "-3"} {
		c.env["REGIE_PORTAL_RETENTION_MONTHS"] = bad
		if code, _, errs := c.run("purge"); code != 2 || !strings.Contains(errs, "un nombre de mois de 1 à 120") {
			t.Errorf("%q: exit %d %s", bad, code, errs)
		}
	}
}

// TestPurgeChore: the purge as serve runs it among its chores, once a
// day, counts the rows it deleted (runChores logs the count, not whose).
func TestPurgeChore(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, linkedLongAgo(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := purgeChore(st, 24)
	if n, err := c.run(ctx, time.Now()); err != nil || n != 2 {
		t.Fatalf("purge chore: %d %v", n, err)
	}
	if n, err := c.run(ctx, time.Now()); err != nil || n != 0 {
		t.Fatalf("purge chore again: %d %v", n, err)
	}
	if c.every != 24*time.Hour {
		t.Fatalf("every %v", c.every)
	}
}

// TestServeRefusesABadRetention: serve checks the retention before it
// serves the privacy notice that states it.
func TestServeRefusesABadRetention(t *testing.T) {
	c := &cli{t: t, env: map[string]string{"REGIE_DB": filepath.Join(t.TempDir(), "serveur.db"), "REGIE_PORTAL_RETENTION_MONTHS": "jamais"}}
	if code, _, stderr := c.run("serve", "--addr", "127.0.0.1:0"); code != 2 || !strings.Contains(stderr, "un nombre de mois de 1 à 120") {
		t.Fatalf("%d %s", code, stderr)
	}
}

// TestServeStatesTheRetention: the privacy notice of a running server says
// the retention and the DPO contact its configuration gives.
func TestServeStatesTheRetention(t *testing.T) {
	base := startServe(t, map[string]string{"REGIE_PORTAL_RETENTION_MONTHS": "36", "REGIE_DPO": "dpo@ville.example.fr"})
	code, _, body := get(t, "GET", base+"/confidentialite", nil)
	if code != 200 || !strings.Contains(body, "Effacé après 36 mois sans connexion") || !strings.Contains(body, `href="mailto:dpo@ville.example.fr"`) {
		t.Fatalf("%d %s", code, body)
	}
}
