package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOrganisationCommands: a one-city file has its organisation, which
// an administrator names; a second city gets its own régie, staff and
// import; with two, a command that does not say which is refused in
// French, and nothing crosses.
func TestOrganisationCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serveur.db")
	ok := func(args ...string) string {
		t.Helper()
		code, stdout, stderr := runCmd(t, db, args...)
		if code != 0 {
			t.Fatalf("%v: %d\n%s%s", args, code, stdout, stderr)
		}
		return stdout
	}
	refused := func(want string, args ...string) {
		t.Helper()
		code, stdout, stderr := runCmd(t, db, args...)
		if code == 0 || !strings.Contains(stderr, want) {
			t.Fatalf("%v: %d, want %q\n%s%s", args, code, want, stdout, stderr)
		}
	}
	// One city: régie and staff need no --org.
	ok("regie", "create", "--code", "ENF", "--name", "Enfance", "--modes", "cash", "--deposit-days", "7")
	ok("organisation", "set", "--code", "ville", "--name", "Ville de Montaigu", "--host", "Paiements.Montaigu.FR")
	ok("organisation", "create", "--code", "ville-b", "--name", "Ville de B", "--host", "paiements.b.fr", "--color", "#1d4f91")
	refused("déjà celle de l'organisation ville-b", "organisation", "create", "--code", "ville-c", "--name", "C", "--host", "paiements.b.fr")
	refused("Couleur invalide", "organisation", "set", "--code", "ville-b", "--color", "red")
	refused("plusieurs organisations : précisez laquelle (--org)", "regie", "create", "--code", "ENFB", "--name", "Enfance B", "--modes", "cash", "--deposit-days", "7")
	ok("regie", "create", "--org", "ville-b", "--code", "ENFB", "--name", "Enfance B", "--modes", "cash", "--deposit-days", "7")
	refused("ne sert qu'à la création", "regie", "update", "--code", "ENFB", "--org", "ville")
	refused("autre organisation", "staff", "create", "--org", "ville", "--login", "marie", "--name", "Marie Curie", "--grant", "regisseur:ENFB")
	ok("staff", "create", "--org", "ville-b", "--login", "marie", "--name", "Marie Curie", "--grant", "regisseur:ENFB")

	var list []orgJSON
	if err := json.Unmarshal([]byte(ok("organisation", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Code != "ville" || list[0].Host != "paiements.montaigu.fr" || list[0].Name != "Ville de Montaigu" ||
		strings.Join(list[0].Regies, ",") != "ENF" || list[1].Look.Color != "#1d4f91" || strings.Join(list[1].Regies, ",") != "ENFB" {
		t.Fatalf("organisation list: %+v", list)
	}
	// Households alone: the organisation must be named.
	foyers := filepath.Join(t.TempDir(), "foyers.csv")
	os.WriteFile(foyers, []byte("id_foyer;compte;nom\nB1;1;Dupont\n"), 0o600)
	refused("précisez laquelle", "import", foyers)
	ok("import", "--org", "ville-b", foyers)
	refused("Aucun foyer n'a le compte 1", "household", "links", "--org", "ville", "--account", "1")
	ok("household", "links", "--org", "ville-b", "--account", "1")
	refused("précisez laquelle", "export", "--since", "2026-01-01")
	ok("export", "--since", "2026-01-01", "--org", "ville-b")
}
