package backoffice

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/store"
)

// lastAudit reads the newest entry of the trail.
func (e *authEnv) lastAudit() store.AuditEntry {
	e.t.Helper()
	var a store.AuditEntry
	var detail string
	if err := e.st.QueryRow(`SELECT staff, action, target, detail FROM audit ORDER BY seq DESC LIMIT 1`).
		Scan(&a.Staff, &a.Action, &a.Target, &detail); err != nil {
		e.t.Fatal(err)
	}
	a.Detail = json.RawMessage(detail)
	return a
}

var provisionalRE = regexp.MustCompile(`Mot de passe provisoire \(affiché une seule fois[^:]*: ([A-Z2-7]+)`)

// TestStaffManagement: an administrator creates an account with grants
// (its provisional password shown once, to be changed at the first
// login), edits its grants (its sessions end), resets its password and
// second factor, disables it; each change is in the audit trail with who
// did it. Bad input changes nothing; an administrator cannot disable
// themselves, and the last administrator cannot be removed.
func TestStaffManagement(t *testing.T) {
	e := newAuthEnv(t, nil)
	admin, _ := e.adminWithTOTP("chef")
	if res, body := admin.get("/gestion/comptes"); res.StatusCode != http.StatusOK {
		t.Fatalf("list: %d", res.StatusCode)
	} else {
		contains(t, body, "pisreg", "chef")
	}
	// A régisseur may not reach the accounts.
	reg := e.login("pisreg", "pisreg-pass")
	if res, _ := reg.get("/gestion/comptes"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a régisseur on the accounts: %d", res.StatusCode)
	}
	if res := reg.postForm("/gestion/comptes", url.Values{"login": {"pirate"}, "name": {"Pirate"}, "password": {"genere"}, "grant": {"admin:"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a régisseur creating an account: %d", res.StatusCode)
	}

	// Bad input: nothing written.
	before := dumpDB(t, e.st)
	for _, f := range []url.Values{
		{"login": {"x"}, "name": {"Nom Correct"}, "password": {"genere"}},
		{"login": {"nouveau"}, "name": {"Nom Correct"}, "password": {"genere"}, "grant": {"regisseur:ZZZ"}},
		{"login": {"nouveau"}, "name": {"Nom Correct"}, "password": {"genere"}, "grant": {"admin:PIS"}},
		{"login": {"pisreg"}, "name": {"Nom Correct"}, "password": {"genere"}},
		{"login": {"nouveau"}, "name": {"Nom Correct"}, "password": {"genere"}, "email": {"pas une adresse"}},
	} {
		if res := admin.postForm("/gestion/comptes", f); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: %d", f, res.StatusCode)
		}
	}
	if dumpDB(t, e.st) != before {
		t.Fatal("a refused form wrote something")
	}

	form := url.Values{"login": {"cmoreau"}, "name": {"Claire Moreau"}, "email": {"c.moreau@ville.fr"},
		"password": {"genere"}, "grant": {"regisseur:PIS", "finance:"}, "csrf": {admin.csrf()}}
	res, err := admin.c.PostForm(e.srv.URL+"/gestion/comptes", form)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(res)
	m := provisionalRE.FindStringSubmatch(html.UnescapeString(body))
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("create: %d %.600s", res.StatusCode, body)
	}
	s := e.staff("cmoreau")
	if !s.MustChange || len(s.Grants) != 2 {
		t.Fatalf("created: %+v", s)
	}
	if a := e.lastAudit(); a.Action != "staff.create" || a.Staff != "chef" || a.Target != "cmoreau" || strings.Contains(string(a.Detail), m[1]) {
		t.Fatalf("audit of the creation: %+v", a)
	}
	// The new account must change its password before anything else.
	claire := e.login("cmoreau", m[1])
	if res, _ := claire.get("/gestion/"); res.Header.Get("Location") != "/gestion/compte" {
		t.Fatalf("provisional password: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	for _, c := range []struct {
		cur, next string
		want      int
	}{{m[1], "court", http.StatusBadRequest}, {m[1], "cmoreau-et-la-suite", http.StatusBadRequest},
		{"mauvais", "un mot de passe bien long", http.StatusUnauthorized}, {m[1], "un mot de passe bien long", http.StatusOK}} {
		if res := claire.postOwn("/gestion/compte/mot-de-passe", url.Values{"actuel": {c.cur}, "nouveau": {c.next}, "confirmation": {c.next}}); res.StatusCode != c.want {
			t.Errorf("password %q → %q: %d, want %d", c.cur, c.next, res.StatusCode, c.want)
		}
	}
	if res, _ := claire.get("/gestion/"); res.StatusCode != http.StatusOK {
		t.Fatalf("after the change: %d", res.StatusCode)
	}

	// Grants changed: Claire's sessions end, the audit says what changed.
	id := s.ID
	if res := admin.postForm("/gestion/comptes/"+id, url.Values{"name": {"Claire Moreau"}, "grant": {"suppleant:PIS"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	if res, _ := claire.get("/gestion/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("session kept after the grants changed: %d", res.StatusCode)
	}
	if a := e.lastAudit(); a.Action != "staff.update" || !strings.Contains(string(a.Detail), `"suppleant"`) || !strings.Contains(string(a.Detail), `"avant"`) {
		t.Fatalf("audit of the edit: %+v %s", a, a.Detail)
	}
	for _, c := range []struct{ path, action string }{{"/mot-de-passe", "staff.password_reset"}, {"/desactiver", "staff.disable"},
		{"/activer", "staff.enable"}} {
		if res := admin.postForm("/gestion/comptes/"+id+c.path, nil); res.StatusCode != http.StatusOK && res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d", c.path, res.StatusCode)
		}
		if a := e.lastAudit(); a.Action != c.action || a.Staff != "chef" {
			t.Fatalf("%s audited as %+v", c.path, a)
		}
	}
	if !e.staff("cmoreau").MustChange {
		t.Error("a reset password is not provisional")
	}

	// Self-protection and the last administrator.
	chef := e.staff("chef")
	before = dumpDB(t, e.st)
	for _, p := range []string{"/desactiver", "/mot-de-passe", "/totp"} {
		if res := admin.postForm("/gestion/comptes/"+chef.ID+p, nil); res.StatusCode != http.StatusConflict {
			t.Errorf("own account %s: %d", p, res.StatusCode)
		}
	}
	if res := admin.postForm("/gestion/comptes/"+chef.ID, url.Values{"name": {"Chef"}, "grant": {"finance:"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("dropping one's own admin role: %d", res.StatusCode)
	}
	if dumpDB(t, e.st) != before {
		t.Fatal("a refused change wrote something")
	}
	// Another administrator may not remove the last enabled one either.
	second, _ := e.adminWithTOTP("adjoint")
	if res := second.postForm("/gestion/comptes/"+chef.ID+"/desactiver", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disabling another admin: %d", res.StatusCode)
	}
	if res, _ := admin.get("/gestion/"); res.StatusCode != http.StatusSeeOther {
		t.Fatal("a disabled administrator kept the session")
	}
	if res := second.postForm("/gestion/comptes/"+e.staff("adjoint").ID, url.Values{"name": {"Adjoint"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("the last admin removing their role: %d", res.StatusCode)
	}
}

func readAll(res *http.Response) string {
	defer res.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			return sb.String()
		}
	}
}
