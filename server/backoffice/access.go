package backoffice

import (
	"net/http"

	"github.com/regie-fr/regie/server/auth"
)

// page runs h for a logged-in staff member who has perm on at least one
// régie (or globally); the handler then scopes what it reads with
// v.Regies(perm) or v.Can(perm, régie). A visitor is sent to the login
// page; a session still waiting for its second factor to the code page;
// someone without the permission gets 403.
func (b *Backoffice) page(perm Perm, h visitHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, ok := b.enter(w, r)
		if !ok {
			return
		}
		if !v.CanAny(perm) {
			b.forbidden(w, r, v)
			return
		}
		h(w, r, v)
	}
}

// form is page for a POST: the body is bounded and must carry the
// session's CSRF token, from this site.
func (b *Backoffice) form(perm Perm, h visitHandler) http.HandlerFunc {
	return b.page(perm, func(w http.ResponseWriter, r *http.Request, v *visit) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if !b.checkCSRF(r, v) {
			b.log.Warn("backoffice: csrf refused", "path", r.URL.Path, "staff", v.staff.Login)
			b.fail(w, r, v, http.StatusForbidden, "Formulaire refusé",
				"Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.")
			return
		}
		h(w, r, v)
	})
}

// checkCSRF compares the form's token with the session's, and checks the
// browser's Origin and Sec-Fetch-Site like the portal does.
func (b *Backoffice) checkCSRF(r *http.Request, v *visit) bool {
	return auth.CheckCSRF(r, &auth.Session{CSRF: v.sess.CSRF}, b.origin)
}

// enter reads the session; without a usable one it answers (login page for
// a GET, 403 for a form) and returns false.
func (b *Backoffice) enter(w http.ResponseWriter, r *http.Request) (*visit, bool) {
	v, err := b.current(r)
	if err != nil {
		b.internal(w, r, nil, "session", err)
		return nil, false
	}
	if v == nil {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, Prefix+"/connexion", http.StatusSeeOther)
			return nil, false
		}
		b.fail(w, r, nil, http.StatusForbidden, "Session expirée",
			"Votre session a expiré : reconnectez-vous puis recommencez.")
		return nil, false
	}
	if !v.sess.SecondFactor {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, Prefix+"/connexion/code", http.StatusSeeOther)
			return nil, false
		}
		b.fail(w, r, nil, http.StatusForbidden, "Code de sécurité attendu",
			"Saisissez d'abord le code de votre application d'authentification.")
		return nil, false
	}
	return v, true
}

// forbidden is the answer to a page the visitor's roles do not open.
func (b *Backoffice) forbidden(w http.ResponseWriter, r *http.Request, v *visit) {
	b.fail(w, r, v, http.StatusForbidden, "Accès refusé",
		"Vos droits ne donnent pas accès à cette page. Demandez à l'administrateur si vous en avez besoin.")
}
