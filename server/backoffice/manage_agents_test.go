package backoffice

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
	"golang.org/x/crypto/bcrypt"
)

var drawnPINRE = regexp.MustCompile(`<p class="enrol-code"><strong>([0-9]{6})</strong></p>`)

func (f *fixture) agent(regieCode, login string) *regie.Agent {
	f.t.Helper()
	var a *regie.Agent
	if err := f.st.View(context.Background(), func(tx *store.Tx) (err error) { a, err = tx.AgentByLogin(regieCode, login); return err }); err != nil {
		f.t.Fatal(err)
	}
	return a
}

func pinMatches(a *regie.Agent, pin string) bool {
	return a != nil && bcrypt.CompareHashAndPassword([]byte(a.PINHash), []byte(pin)) == nil
}

// TestManageAgents: an administrator creates an agent with a PIN typed
// twice, another with a drawn PIN shown once, changes a role, resets a PIN,
// disables and enables an agent; PINs are stored as bcrypt hashes and
// never reach the audit trail, which records each change with old and new
// values.
func TestManageAgents(t *testing.T) {
	f := newFixture(t)
	adm := f.admin()
	res, body := adm.send("/gestion/regies/ENF/nouvel-agent", url.Values{"login": {"lmartin"}, "name": {"Lucie Martin"},
		"role": {"mandataire"}, "pin": {"482913"}, "pin_again": {"482913"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %.500s", res.StatusCode, body)
	}
	a := f.agent("ENF", "lmartin")
	if a == nil || a.Role != regie.RoleMandataire || !a.Active || !pinMatches(a, "482913") || a.ID == "" {
		t.Fatalf("created: %+v", a)
	}
	detail := f.wantAudit("agent.create", "ENF", "lmartin", "482913", a.PINHash)
	if _, ok := detail["pin_hash"]; ok {
		t.Error("the audit detail names the hash")
	}

	res, page := adm.send("/gestion/regies/ENF/nouvel-agent", url.Values{"login": {"pdurand"}, "name": {"Paul Durand"},
		"role": {"suppleant"}, "generate": {"1"}})
	m := drawnPINRE.FindStringSubmatch(page)
	if res.StatusCode != http.StatusOK || m == nil || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("drawn PIN: %d %.500s", res.StatusCode, page)
	}
	if !pinMatches(f.agent("ENF", "pdurand"), m[1]) {
		t.Fatal("the drawn PIN shown is not the one stored")
	}
	f.wantAudit("agent.create", "ENF", "pdurand", m[1])
	if _, page := adm.get("/gestion/regies/ENF/agents/pdurand"); strings.Contains(page, m[1]) {
		t.Fatal("the agent's page shows the drawn PIN again")
	}

	if res, body := adm.send("/gestion/regies/ENF/agents/lmartin", url.Values{"name": {"Lucie Martin-Roux"}, "role": {"suppleant"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d %.300s", res.StatusCode, body)
	}
	a = f.agent("ENF", "lmartin")
	if a.Role != regie.RoleSuppleant || a.Name != "Lucie Martin-Roux" || !pinMatches(a, "482913") {
		t.Fatalf("updated: %+v", a)
	}
	detail = f.wantAudit("agent.update", "ENF", "lmartin")
	if role, _ := detail["role"].(map[string]any); role["avant"] != "mandataire" || role["après"] != "suppleant" {
		t.Errorf("role change: %v", detail)
	}

	if res, _ := adm.send("/gestion/regies/ENF/agents/lmartin/code", url.Values{"pin": {"7731"}, "pin_again": {"7731"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset PIN: %d", res.StatusCode)
	}
	a = f.agent("ENF", "lmartin")
	if !pinMatches(a, "7731") || pinMatches(a, "482913") {
		t.Fatal("PIN not reset")
	}
	if detail := f.wantAudit("agent.pin", "ENF", "lmartin", "7731", a.PINHash); detail["code"] != "changé" {
		t.Errorf("PIN change detail: %v", detail)
	}

	if res, _ := adm.send("/gestion/regies/ENF/agents/lmartin/etat", url.Values{"active": {"0"}}); res.StatusCode != http.StatusSeeOther || f.agent("ENF", "lmartin").Active {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	f.wantAudit("agent.state", "ENF", "lmartin")
	_, page = adm.get("/gestion/regies/ENF")
	contains(t, page, "désactivé", "Lucie Martin-Roux")
	if res, _ := adm.send("/gestion/regies/ENF/agents/lmartin/etat", url.Values{"active": {"1"}}); res.StatusCode != http.StatusSeeOther || !f.agent("ENF", "lmartin").Active {
		t.Fatalf("enable: %d", res.StatusCode)
	}
}

// TestManageAgentsRefused: every fault comes back on the form, nothing is
// written: PINs that differ, a PIN too short, both typed and drawn, a login
// taken (creating never overwrites an agent), an unknown role, a login with
// a slash; an agent of another régie is not found.
func TestManageAgentsRefused(t *testing.T) {
	f := newFixture(t)
	adm := f.admin()
	base := func() url.Values {
		return url.Values{"login": {"lmartin"}, "name": {"Lucie Martin"}, "role": {"mandataire"}, "pin": {"482913"}, "pin_again": {"482913"}}
	}
	f.unchanged("refused agents", func() {
		for _, c := range []struct{ field, value, want string }{
			{"pin_again", "482914", "Les deux codes tapés diffèrent"},
			{"pin", "", "Tapez le code deux fois"},
			{"generate", "1", "pas les deux"},
			{"role", "maire", "Choisissez le rôle"},
			{"login", "mdupont", "déjà celui d&#39;un agent"},
			{"login", "l/martin", "identifiant"},
			{"name", "", "Indiquez le nom"},
		} {
			v := base()
			v.Set(c.field, c.value)
			res, page := adm.send("/gestion/regies/ENF/nouvel-agent", v)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, c.want) {
				t.Errorf("%s=%q: %d, page lacks %q", c.field, c.value, res.StatusCode, c.want)
			}
			if c.field == "name" && !strings.Contains(page, `value="lmartin"`) {
				t.Error("the typed login is not kept")
			}
		}
		v := base()
		v.Set("pin", "123")
		v.Set("pin_again", "123")
		if res, page := adm.send("/gestion/regies/ENF/nouvel-agent", v); res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "entre 4 et 72") {
			t.Errorf("short PIN: %d", res.StatusCode)
		}
		if res, _ := adm.send("/gestion/regies/ENF/agents/mdupont/code", url.Values{"pin": {"9999"}, "pin_again": {"9998"}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("reset with PINs that differ: %d", res.StatusCode)
		}
		if res, _ := adm.send("/gestion/regies/ENF/agents/mdupont/etat", url.Values{"active": {"peut-être"}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("unknown state: %d", res.StatusCode)
		}
		if res, _ := adm.send("/gestion/regies/PIS/agents/mdupont", url.Values{"name": {"X"}, "role": {"regisseur"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("agent of another régie: %d", res.StatusCode)
		}
	})
}
