package main

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestStaffCommands: IT creates the first administrator (a provisional
// password printed once), grants and lists accounts (--json without any
// hash), cannot disable the last administrator; every change is in the
// audit trail as "cli", and verify checks that trail.
func TestStaffCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "serveur.db")
	c := &cli{t: t, env: map[string]string{"REGIE_DB": db}}
	c.ok("regie", "create", "--code", "ENF", "--name", "Régie Enfance", "--modes", "cash")
	out := c.ok("staff", "create", "--login", "dsi", "--name", "Service informatique", "--grant", "admin")
	if !regexp.MustCompile(`Mot de passe provisoire, à changer à la première connexion : [A-Z2-7]{26}\n`).MatchString(out) {
		t.Fatalf("create: %s", out)
	}
	c.env["REGIE_STAFF_PASSWORD"] = "court"
	if code, _, errs := c.run("staff", "create", "--login", "mdupont", "--name", "Marie Dupont", "--grant", "regisseur:ENF"); code != 1 || !strings.Contains(errs, "au moins 12 caractères") {
		t.Fatalf("short password: %d %s", code, errs)
	}
	c.env["REGIE_STAFF_PASSWORD"] = "une phrase de passe assez longue"
	c.ok("admin", "staff", "create", "--login", "mdupont", "--name", "Marie Dupont", "--grant", "regisseur:ENF")
	delete(c.env, "REGIE_STAFF_PASSWORD")
	c.ok("staff", "grant", "--login", "mdupont", "--grant", "finance")
	if code, _, errs := c.run("staff", "grant", "--login", "mdupont", "--grant", "regisseur:ZZZ"); code != 1 || !strings.Contains(errs, "Régie inconnue") {
		t.Fatalf("unknown régie: %d %s", code, errs)
	}
	if code, _, errs := c.run("staff", "disable", "--login", "dsi"); code != 1 || !strings.Contains(errs, "au moins un administrateur actif") {
		t.Fatalf("disabling the last admin: %d %s", code, errs)
	}
	code, js, _ := c.run("staff", "list", "--json")
	var list []staffView
	if code != 0 || json.Unmarshal([]byte(js), &list) != nil || len(list) != 2 || len(list[1].Grants) != 2 || strings.Contains(js, "$2a$") {
		t.Fatalf("list: %d %s", code, js)
	}
	out = c.ok("verify")
	if !strings.Contains(out, "Journal d'audit : 3 entrée(s), chaîne intacte.") {
		t.Fatalf("verify: %s", out)
	}
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	var n int
	sqldb.QueryRow(`SELECT count(*) FROM audit WHERE staff = 'cli' AND action LIKE 'staff.%'`).Scan(&n)
	if n != 3 {
		t.Fatalf("cli entries: %d", n)
	}
}

// TestVerifyCatchesAuditTampering: on copies of a server file, an attacker
// with the file drops the triggers and edits, or removes, an audit entry;
// verify exits 1 and names the entry.
func TestVerifyCatchesAuditTampering(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "serveur.db")
	c := &cli{t: t, env: map[string]string{"REGIE_DB": db}}
	c.ok("regie", "create", "--code", "ENF", "--name", "Régie Enfance", "--modes", "cash")
	c.ok("staff", "create", "--login", "dsi", "--name", "Service informatique", "--grant", "admin")
	c.ok("staff", "create", "--login", "mdupont", "--name", "Marie Dupont", "--grant", "regisseur:ENF")
	c.ok("staff", "grant", "--login", "mdupont", "--grant", "admin")
	for _, tc := range []struct {
		name, sql, want string
	}{
		{"modifiée", `UPDATE audit SET target = 'quelquun' WHERE seq = 2`, "ROMPU à l'entrée n° 2 (contenu modifié)"},
		{"supprimée", `DELETE FROM audit WHERE seq = 2`, "ROMPU à l'entrée n° 2 (entrée 2 manquante)"},
		{"rechaînée", `UPDATE audit SET prev_hash = hash WHERE seq = 3`, "ROMPU à l'entrée n° 3 (chaînage rompu)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cp := filepath.Join(t.TempDir(), "copie.db")
			src, err := sql.Open("sqlite", db)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := src.Exec(`VACUUM INTO ?`, cp); err != nil {
				t.Fatal(err)
			}
			src.Close()
			tampered, err := sql.Open("sqlite", cp)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{`DROP TRIGGER audit_no_update`, `DROP TRIGGER audit_no_delete`, tc.sql} {
				if _, err := tampered.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			tampered.Close()
			cc := &cli{t: t, env: map[string]string{"REGIE_DB": cp}}
			code, out, _ := cc.run("verify")
			if code != 1 || !strings.Contains(out, tc.want) {
				t.Fatalf("verify: %d\n%s", code, out)
			}
			code, js, _ := cc.run("verify", "--json")
			var doc struct {
				OK    bool `json:"ok"`
				Audit struct {
					BrokenAt int64 `json:"broken_at"`
				} `json:"audit"`
			}
			if code != 1 || json.Unmarshal([]byte(js), &doc) != nil || doc.OK || doc.Audit.BrokenAt == 0 {
				t.Fatalf("verify --json: %d %s", code, js)
			}
		})
	}
}
