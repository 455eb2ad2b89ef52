package backoffice

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/store"
)

var auditRowRE = regexp.MustCompile(`<td class="num">(\d+)</td>`)

// TestAuditPage: the administrator reads the trail newest first, by pages
// of 50, filtered by account and action, with the chain verified; a
// régisseur may not; once a row is edited in the file behind the
// server's back, the page says the chain is broken and where.
func TestAuditPage(t *testing.T) {
	e := newAuthEnv(t, nil)
	admin, _ := e.adminWithTOTP("chef")
	reg := e.login("pisreg", "pisreg-pass")
	if res, _ := reg.get("/gestion/audit"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a régisseur on the audit trail: %d", res.StatusCode)
	}
	err := e.st.Update(context.Background(), func(tx *store.Tx) error {
		for i := 0; i < 60; i++ {
			if err := tx.AppendAudit(&store.AuditEntry{At: e.clock.Now(), StaffID: "s-x", Staff: "autre", Action: "regie.update",
				Regie: "PIS", Target: fmt.Sprint("PIS-", i), Detail: json.RawMessage(`{"n":1}`), Client: "127.0.0.1", Org: "ville"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	res, body := admin.get("/gestion/audit")
	rows := auditRowRE.FindAllStringSubmatch(body, -1)
	if res.StatusCode != http.StatusOK || len(rows) != auditPageSize {
		t.Fatalf("first page: %d, %d rows", res.StatusCode, len(rows))
	}
	total := len(e.auditActions())
	contains(t, html.UnescapeString(body), fmt.Sprintf("Chaîne vérifiée : %d entrées", total), "Connexion (mot de passe)")
	if rows[0][1] != fmt.Sprint(total) {
		t.Errorf("newest first: %s", rows[0][1])
	}
	next := regexp.MustCompile(`href="(/gestion/audit\?avant=\d+)"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatal("no link to the older entries")
	}
	_, body = admin.get(html.UnescapeString(next[1]))
	if n := len(auditRowRE.FindAllString(body, -1)); n != total-auditPageSize {
		t.Errorf("second page: %d rows, want %d", n, total-auditPageSize)
	}
	_, body = admin.get("/gestion/audit?staff=chef&action=login.password")
	rows = auditRowRE.FindAllStringSubmatch(body, -1)
	if len(rows) != 1 || strings.Count(body, "Connexion (mot de passe)") < 1 {
		t.Errorf("filtered: %d rows", len(rows))
	}
	_, body = admin.get("/gestion/audit?regie=PIS")
	if n := len(auditRowRE.FindAllString(body, -1)); n != auditPageSize {
		t.Errorf("régie filter: %d rows", n)
	}
	if res, _ := admin.get("/gestion/audit?avant=abc"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad page number: %d", res.StatusCode)
	}

	for _, q := range []string{`DROP TRIGGER audit_no_update`, `UPDATE audit SET target = 'autre chose' WHERE seq = 3`} {
		if _, err := e.st.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_, body = admin.get("/gestion/audit")
	contains(t, html.UnescapeString(body), "Chaîne rompue", "entrée n° 3 (contenu modifié)")
}
