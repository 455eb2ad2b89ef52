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
		r.Body = http.MaxBytesReader(w, r.Body, formLimit(r))
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
	origin, _ := b.originOf(r)
	return auth.CheckCSRF(r, &auth.Session{CSRF: v.sess.CSRF}, origin)
}

// own runs h for any logged-in staff member, whatever their roles, even
// one who must change their password first: the account's own pages.
func (b *Backoffice) own(h visitHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if v, ok := b.enterAs(w, r, true); ok {
			h(w, r, v)
		}
	}
}

// ownForm is own for a POST, with form's checks.
func (b *Backoffice) ownForm(h visitHandler) http.HandlerFunc {
	return b.own(func(w http.ResponseWriter, r *http.Request, v *visit) {
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

// enter reads the session; without a usable one it answers (login page for
// a GET, 403 for a form) and returns false.
func (b *Backoffice) enter(w http.ResponseWriter, r *http.Request) (*visit, bool) {
	return b.enterAs(w, r, false)
}

// enterAs is enter; ownPage lets through a session whose password must be
// changed (the account's page, where it is changed).
func (b *Backoffice) enterAs(w http.ResponseWriter, r *http.Request, ownPage bool) (*visit, bool) {
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
	// An administrator without a second factor (granted the role since
	// the login) is sent to set one up like at the login.
	if !v.sess.SecondFactor || (isAdmin(v.staff) && v.staff.TOTPSecret == "") {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, Prefix+"/connexion/code", http.StatusSeeOther)
			return nil, false
		}
		b.fail(w, r, nil, http.StatusForbidden, "Code de sécurité attendu",
			"Saisissez d'abord le code de votre application d'authentification.")
		return nil, false
	}
	// A provisional password binds whoever logged in with it (not a
	// login through the provider, which holds the ID token).
	if v.staff.MustChange && v.sess.IDToken == "" && !ownPage {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, Prefix+"/compte", http.StatusSeeOther)
			return nil, false
		}
		b.fail(w, r, v, http.StatusForbidden, "Mot de passe à changer",
			"Choisissez d'abord votre propre mot de passe, sur la page de votre compte.")
		return nil, false
	}
	return v, true
}

// forbidden is the answer to a page the visitor's roles do not open.
func (b *Backoffice) forbidden(w http.ResponseWriter, r *http.Request, v *visit) {
	b.fail(w, r, v, http.StatusForbidden, "Accès refusé",
		"Vos droits ne donnent pas accès à cette page. Demandez à l'administrateur si vous en avez besoin.")
}
