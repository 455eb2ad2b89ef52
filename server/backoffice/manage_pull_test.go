package backoffice

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"

	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/sync/protocol"
)

// pull asks the sync API for what changed since cursor.
func pull(t *testing.T, srv *httptest.Server, cred, cursor string) *protocol.PullResponse {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+protocol.PathPull+"?cursor="+url.QueryEscape(cursor), nil)
	req.Header.Set("Authorization", "Bearer "+cred)
	req.Header.Set(protocol.HeaderVersion, "1")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("pull: %d", res.StatusCode)
	}
	var p protocol.PullResponse
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
		t.Fatal(err)
	}
	return &p
}

// TestManageReachesCounters: what an administrator saves in the browser
// (settings with the régie's own cancellation reasons, an agent, a tariff)
// is in the next pull of an enrolled counter of the régie, through the
// real sync API, after its cursor; a counter of the régie that changed
// nothing gets nothing.
func TestManageReachesCounters(t *testing.T) {
	f := newFixture(t)
	adm := f.admin()
	syncSrv := f.syncAPI()
	cred := enrol(t, syncSrv, servertest.AddCounter(t, f.st, "C01"))
	if cred == "" {
		t.Fatal("enrolment refused")
	}
	var cursor string
	for p := pull(t, syncSrv, cred, ""); ; p = pull(t, syncSrv, cred, cursor) {
		cursor = p.Cursor
		if !p.More {
			break
		}
	}
	if p := pull(t, syncSrv, cred, cursor); p.Settings != nil || len(p.Items) > 0 {
		t.Fatal("a pull with nothing changed sends settings or tariffs")
	}

	v := regieValues("")
	v.Set("name", "Régie Enfance")
	v.Set("reasons", "Erreur de saisie du montant\nDoublon de facture\nAutre motif")
	if res, body := adm.send("/gestion/regies/ENF/modifier", v); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d %.300s", res.StatusCode, body)
	}
	p := pull(t, syncSrv, cred, cursor)
	if p.Settings == nil || p.Settings.CashCeiling != 1234_50 ||
		!slices.Equal(p.Settings.CancelReasons, []string{"Erreur de saisie du montant", "Doublon de facture", "Autre motif"}) {
		t.Fatalf("settings not pulled: %+v", p.Settings)
	}
	if got := p.Settings.ToRegie(); !slices.Equal(got.Reasons(), p.Settings.CancelReasons) {
		t.Fatalf("the counter's list: %v", got.Reasons())
	}
	cursor = p.Cursor

	adm.send("/gestion/regies/ENF/nouvel-agent", url.Values{"login": {"lmartin"}, "name": {"Lucie Martin"},
		"role": {"mandataire"}, "pin": {"482913"}, "pin_again": {"482913"}})
	p = pull(t, syncSrv, cred, cursor)
	if !slices.ContainsFunc(p.Agents, func(a protocol.Agent) bool { return a.Login == "lmartin" && a.PINHash != "" }) {
		t.Fatalf("agent not pulled: %+v", p.Agents)
	}
	cursor = p.Cursor

	adm.send("/gestion/regies/ENF/nouveau-tarif", url.Values{"code": {"STAGE"}, "label": {"Stage d'été"}, "price": {"85"}, "active": {"1"}})
	p = pull(t, syncSrv, cred, cursor)
	if len(p.Items) != 1 || p.Items[0].Code != "STAGE" || p.Items[0].Price != 85_00 {
		t.Fatalf("tariff not pulled: %+v", p.Items)
	}
	if p = pull(t, syncSrv, cred, p.Cursor); p.Settings != nil || len(p.Items) > 0 || len(p.Agents) > 0 {
		t.Fatal("the same changes pulled twice")
	}
	// A tariff of another régie does not reach this counter.
	adm.send("/gestion/regies/PIS/nouveau-tarif", url.Values{"code": {"ENTREE"}, "label": {"Entrée"}, "price": {"4"}, "active": {"1"}})
	if p = pull(t, syncSrv, cred, p.Cursor); len(p.Items) > 0 || p.Settings != nil {
		t.Fatalf("another régie's tariff pulled: %+v", p.Items)
	}
}
