package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The régie's PayFiP client number is set, checked and cleared on the
// command line; a wrong one is refused and changes nothing.
func TestRegiePayFiPClient(t *testing.T) {
	c := &cli{t: t, env: map[string]string{"REGIE_DB": filepath.Join(t.TempDir(), "serveur.db")}}
	c.ok("regie", "create", "--code", "ENF", "--name", "Régie Enfance", "--modes", "cash,online", "--deposit-days", "7")
	c.ok("regie", "update", "--code", "ENF", "--payfip-client", "123456")
	if out := c.ok("regie", "list", "--json"); !strings.Contains(out, `"payfip_client": "123456"`) {
		t.Fatalf("list: %s", out)
	}
	for _, bad := range []string{"12345", "12345a", "1234567"} {
		if code, _, errs := c.run("regie", "update", "--code", "ENF", "--payfip-client", bad); code != 1 || !strings.Contains(errs, "six chiffres") {
			t.Fatalf("%s: %d %s", bad, code, errs)
		}
	}
	if out := c.ok("regie", "list", "--json"); !strings.Contains(out, `"payfip_client": "123456"`) {
		t.Fatalf("a refused number changed the régie: %s", out)
	}
	c.ok("regie", "update", "--code", "ENF", "--payfip-client", "")
	if out := c.ok("regie", "list", "--json"); strings.Contains(out, "payfip_client") {
		t.Fatalf("not cleared: %s", out)
	}
}
