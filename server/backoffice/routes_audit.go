package backoffice

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/regie-fr/regie/server/store"
)

// routesAudit is the audit trail for administrators: newest first, by
// pages, filtered by account, action and régie, with the chain's state.
func (b *Backoffice) routesAudit(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/audit", b.page(PermAudit, b.auditPage))
}

// auditPageSize is how many entries a page shows.
const auditPageSize = 50

type auditData struct {
	Filter  store.AuditFilter
	Entries []store.AuditEntry
	Chain   *store.AuditReport
	Staff   []string
	Actions []string
	Regies  []string
	// Next is the address of the older entries' page ("" on the last).
	Next string
	// Labels name the actions people read.
	Labels map[string]string
}

func (b *Backoffice) auditPage(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	f := store.AuditFilter{Staff: q.Get("staff"), Action: q.Get("action"), Regie: q.Get("regie"), Limit: auditPageSize + 1, Org: v.org}
	if s := q.Get("avant"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			b.fail(w, r, v, http.StatusBadRequest, "Adresse invalide", "Le numéro d'entrée de cette adresse est illisible.")
			return
		}
		f.Before = n
	}
	d := &auditData{Filter: f, Labels: auditLabels}
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		if d.Entries, err = tx.AuditEntries(f); err != nil {
			return err
		}
		if d.Chain, err = tx.VerifyAudit(); err != nil {
			return err
		}
		if d.Staff, err = tx.AuditValues(v.org, "staff"); err != nil {
			return err
		}
		if d.Actions, err = tx.AuditValues(v.org, "action"); err != nil {
			return err
		}
		d.Regies, err = tx.AuditValues(v.org, "regie")
		return err
	})
	if err != nil {
		b.internal(w, r, v, "audit", err)
		return
	}
	if len(d.Entries) > auditPageSize {
		d.Entries = d.Entries[:auditPageSize]
		next := url.Values{"avant": {strconv.FormatInt(d.Entries[auditPageSize-1].Seq, 10)}}
		for k, x := range map[string]string{"staff": f.Staff, "action": f.Action, "regie": f.Regie} {
			if x != "" {
				next.Set(k, x)
			}
		}
		d.Next = Prefix + "/audit?" + next.Encode()
	}
	b.render(w, http.StatusOK, "audit_list", b.newView(v, "Journal d'audit", "audit", d))
}

// auditLabels are the actions of the login and the accounts as people
// read them; other areas' codes are shown as they are.
var auditLabels = map[string]string{
	"login.password":           "Connexion (mot de passe)",
	"login.code":               "Connexion (code de sécurité)",
	"login.oidc":               "Connexion (fournisseur d'identité)",
	"login.failure":            "Connexion refusée",
	"login.code_failure":       "Code de sécurité refusé",
	"login.lockout":            "Compte verrouillé",
	"login.oidc_refused":       "Identité non reconnue",
	"logout":                   "Déconnexion",
	"account.password":         "Mot de passe changé",
	"account.password_failure": "Mot de passe actuel refusé",
	"account.totp_enabled":     "Second facteur mis en place",
	"staff.create":             "Compte créé",
	"staff.update":             "Compte modifié",
	"staff.disable":            "Compte désactivé",
	"staff.enable":             "Compte réactivé",
	"staff.unlock":             "Compte débloqué",
	"staff.password_reset":     "Mot de passe réinitialisé",
	"staff.totp_reset":         "Second facteur réinitialisé",
	"staff.oidc_bind":          "Identité liée",
	"staff.oidc_unbind":        "Identité déliée",
}
