package backoffice

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/sync/protocol"
)

var enrolCodeRE = regexp.MustCompile(`<p class="enrol-code"><strong>([^<]+)</strong></p>`)

// syncAPI is the counters' sync API on the fixture's database, served over
// a real HTTP server.
func (f *fixture) syncAPI() *httptest.Server {
	srv := httptest.NewServer(api.New(f.st, api.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	f.t.Cleanup(srv.Close)
	return srv
}

// enrol sends a code to the sync API's enrolment; the credential, or ""
// when refused.
func enrol(t *testing.T, srv *httptest.Server, code string) string {
	t.Helper()
	body, _ := json.Marshal(protocol.EnrolRequest{Code: code})
	res, err := http.Post(srv.URL+protocol.PathEnrol, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return ""
	}
	var out protocol.EnrolResponse
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Credential
}

// TestManageCounterLife: an administrator creates a counter and reads its
// enrolment code once, on the answer's page only (not on the régie's page,
// not in the database, not in the audit trail); the code enrols a counter
// through the real sync API; a new code replaces it; a revocation needs its
// confirmation and then the server refuses the counter.
func TestManageCounterLife(t *testing.T) {
	f := newFixture(t)
	adm := f.admin()
	syncSrv := f.syncAPI()

	if _, page := adm.get("/gestion/regies/ENF/nouveau-poste"); !strings.Contains(page, "Code du poste") {
		t.Fatalf("new counter form: %.300s", page)
	}
	res, page := adm.send("/gestion/regies/ENF/nouveau-poste", url.Values{"code": {"C09"}, "name": {"Accueil piscine"}})
	m := enrolCodeRE.FindStringSubmatch(page)
	if res.StatusCode != http.StatusOK || m == nil || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create counter: %d %.500s", res.StatusCode, page)
	}
	code := m[1]
	contains(t, page, "Il n'est affiché qu'une fois")
	f.wantAudit("counter.create", "ENF", "C09", code, credential.NormalizeEnrolCode(code), credential.HashEnrolCode(code))
	if dump := dumpTables(t, f.st); strings.Contains(dump, code) || strings.Contains(dump, credential.NormalizeEnrolCode(code)) {
		t.Fatal("the enrolment code is stored in clear")
	}
	_, regiePage := adm.get("/gestion/regies/ENF")
	if strings.Contains(regiePage, code) {
		t.Fatal("the régie's page shows the code again")
	}
	contains(t, regiePage, "C09", "Accueil piscine", "en attente d&#39;enrôlement")

	// A new code before enrolment: the first one is dead, the new one works.
	res, page = adm.send("/gestion/regies/ENF/postes/C09/code", nil)
	m = enrolCodeRE.FindStringSubmatch(page)
	if res.StatusCode != http.StatusOK || m == nil || m[1] == code {
		t.Fatalf("new code: %d %.300s", res.StatusCode, page)
	}
	f.wantAudit("counter.code", "ENF", "C09", m[1], code)
	if enrol(t, syncSrv, code) != "" {
		t.Error("the replaced code still enrols")
	}
	if cred := enrol(t, syncSrv, m[1]); cred == "" {
		t.Fatal("the code shown does not enrol")
	}
	_, regiePage = adm.get("/gestion/regies/ENF")
	contains(t, regiePage, "enrôlé")

	// Revocation: a confirmation page, a POST without the box refused.
	if _, page := adm.get("/gestion/regies/ENF/postes/C09/revoquer"); !strings.Contains(page, "définitive") {
		t.Fatalf("confirmation page: %.300s", page)
	}
	f.unchanged("a revocation not confirmed", func() {
		if res, _ := adm.send("/gestion/regies/ENF/postes/C09/revoquer", nil); res.StatusCode != http.StatusBadRequest {
			t.Errorf("unconfirmed revocation: %d", res.StatusCode)
		}
	})
	res, _ = adm.send("/gestion/regies/ENF/postes/C09/revoquer", url.Values{"confirm": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	f.wantAudit("counter.revoke", "ENF", "C09")
	_, regiePage = adm.get("/gestion/regies/ENF")
	contains(t, regiePage, "révoqué")
	f.unchanged("a second revocation and a code for a revoked counter", func() {
		if res, _ := adm.send("/gestion/regies/ENF/postes/C09/revoquer", url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusConflict {
			t.Errorf("second revocation: %d", res.StatusCode)
		}
		if res, page := adm.send("/gestion/regies/ENF/postes/C09/code", nil); res.StatusCode != http.StatusBadRequest ||
			!strings.Contains(page, "est révoqué") || enrolCodeRE.MatchString(page) {
			t.Errorf("code for a revoked counter: %d", res.StatusCode)
		}
	})
}

// TestManageCounterRefused: a bad code, a blank or multi-line name, a code
// taken: the form again with the message, nothing written; a counter of
// another régie or unknown is not found.
func TestManageCounterRefused(t *testing.T) {
	f := newFixture(t)
	adm := f.admin()
	adm.send("/gestion/regies/ENF/nouveau-poste", url.Values{"code": {"C01"}, "name": {"Accueil"}})
	f.unchanged("refused counters", func() {
		for _, c := range []struct{ code, name, want string }{
			{"c01", "Accueil", "Code de poste invalide"},
			{"C02", "", "Indiquez le nom du poste"},
			{"C02", "Accueil\nbis", "Le nom du poste est obligatoire"},
			{"C01", "Accueil", "existe déjà"},
		} {
			res, page := adm.send("/gestion/regies/ENF/nouveau-poste", url.Values{"code": {c.code}, "name": {c.name}})
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, c.want) || enrolCodeRE.MatchString(page) {
				t.Errorf("%q %q: %d, page lacks %q", c.code, c.name, res.StatusCode, c.want)
			}
		}
		if res, _ := adm.send("/gestion/regies/PIS/postes/C01/code", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("a counter of another régie: %d", res.StatusCode)
		}
		if res, _ := adm.get("/gestion/regies/ENF/postes/NOPE/revoquer"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown counter: %d", res.StatusCode)
		}
	})
}
