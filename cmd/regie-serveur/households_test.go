package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/demoserver"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// TestHouseholdCommands: the régisseur prints a linking slip, sees who
// linked the household with it, and unlinks them.
func TestHouseholdCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serveur.db")
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := demoserver.Seed(ctx, st, 4); err != nil {
		t.Fatal(err)
	}
	st.Close()
	c := &cli{t: t, env: map[string]string{"REGIE_DB": db}}

	out := c.ok("household", "slip", "--account", "F001001", "--document", "passeport")
	if !strings.Contains(out, "Code de rattachement du foyer F001001 (Lefèvre Hélène) : ") || !strings.Contains(out, "une seule fois") {
		t.Fatalf("slip: %s", out)
	}
	var slip struct {
		Code      string    `json:"code"`
		Account   string    `json:"account"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	if err := json.Unmarshal([]byte(c.ok("household", "slip", "--account", "F001001", "--json")), &slip); err != nil ||
		len(slip.Code) != 19 || slip.Account != "F001001" || time.Until(slip.ExpiresAt) < 29*24*time.Hour {
		t.Fatalf("slip JSON: %+v %v", slip, err)
	}
	if out := c.ok("household", "links", "--account", "F001001"); !strings.Contains(out, "Personne n'est lié") {
		t.Fatalf("links before: %s", out)
	}
	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Portal().Link(ctx, portal.LinkRequest{Org: "ville", Subject: "fc-jlefevre", Name: "Julien Lefèvre", SlipCode: slip.Code,
		Client: "c", At: time.Now(), Day: time.Now().Format(time.DateOnly), Since: time.Now().Add(-time.Hour), LimitIdentity: 5})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if out := c.ok("household", "links", "--account", "F001001"); !strings.Contains(out, "Julien Lefèvre\tfc-jlefevre\tlié le ") {
		t.Fatalf("links: %s", out)
	}
	if out := c.ok("household", "unlink", "--account", "F001001", "--name", "JULIEN lefevre"); !strings.Contains(out, "Julien Lefèvre (fc-jlefevre) n'a plus accès au foyer F001001.") {
		t.Fatalf("unlink: %s", out)
	}
	for _, bad := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"household", "unlink", "--account", "F001001", "--subject", "fc-jlefevre"}, 1, "Personne de ce nom"},
		{[]string{"household", "slip", "--account", "F999999"}, 1, "Foyer inconnu du serveur"},
		{[]string{"household", "slip"}, 2, "--account"},
		{[]string{"household", "unlink", "--account", "F001001"}, 2, "--subject"},
		{[]string{"household", "vendre"}, 2, "Action attendue"},
	} {
		if code, _, errs := c.run(bad.args...); code != bad.code || !strings.Contains(errs, bad.want) {
			t.Errorf("%v: %d %s", bad.args, code, errs)
		}
	}
}
