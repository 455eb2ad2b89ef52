package backoffice

import (
	"net/http"
	"strings"

	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/store"
	"golang.org/x/crypto/bcrypt"
)

func (b *Backoffice) routesLogin(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/connexion", b.loginPage)
	mux.HandleFunc("POST "+Prefix+"/connexion", b.loginPassword)
	mux.HandleFunc("POST "+Prefix+"/deconnexion", b.logout)
}

// loginData is what the login page shows.
type loginData struct {
	Login    string
	Provider string
}

func (b *Backoffice) loginPage(w http.ResponseWriter, r *http.Request) {
	if v, err := b.current(r); err == nil && v != nil && v.sess.SecondFactor {
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
		return
	}
	b.render(w, http.StatusOK, "login", b.newView(nil, "Connexion", "", b.loginData("")))
}

func (b *Backoffice) loginData(login string) *loginData {
	d := &loginData{Login: login}
	if b.login != nil {
		d.Provider = b.login.ProviderName()
	}
	return d
}

// loginPassword checks a local account's password. Every failure gets the
// same answer, so that the page tells nobody which logins exist.
func (b *Backoffice) loginPassword(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if !auth.FromSite(r, b.origin) {
		b.fail(w, r, nil, http.StatusForbidden, "Formulaire refusé",
			"Ce formulaire ne vient pas de ce site. Rechargez la page et recommencez.")
		return
	}
	login := strings.TrimSpace(r.PostFormValue("login"))
	password := r.PostFormValue("password")
	var ok, second bool
	err := b.st.Update(r.Context(), func(tx *store.Tx) error {
		st, err := tx.StaffByLogin(login)
		if err != nil || st == nil || st.Disabled || st.PasswordHash == "" {
			return err
		}
		if bcrypt.CompareHashAndPassword([]byte(st.PasswordHash), []byte(password)) != nil {
			return nil
		}
		ok, second = true, !needsSecondFactor(st)
		return b.startSession(w, r, tx, st, second, "")
	})
	if err != nil {
		b.internal(w, r, nil, "login", err)
		return
	}
	if !ok {
		b.log.Info("backoffice: login refused", "login", login)
		v := b.newView(nil, "Connexion", "", b.loginData(login))
		v.Error = "Identifiant ou mot de passe incorrect."
		b.render(w, http.StatusUnauthorized, "login", v)
		return
	}
	next := Prefix + "/"
	if !second {
		next = Prefix + "/connexion/code"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// needsSecondFactor tells whether a password login must be followed by a
// TOTP code: for every account that set one up, and for administrators,
// who must set one up.
func needsSecondFactor(st *store.Staff) bool {
	if st.TOTPSecret != "" {
		return true
	}
	for _, g := range st.Grants {
		if g.Role == store.RoleAdmin {
			return true
		}
	}
	return false
}

// logout ends the session.
func (b *Backoffice) logout(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	v, err := b.current(r)
	if err != nil {
		b.internal(w, r, nil, "logout", err)
		return
	}
	if v != nil {
		if !b.checkCSRF(r, v) {
			b.fail(w, r, v, http.StatusForbidden, "Formulaire refusé",
				"Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.")
			return
		}
		if err := b.st.Update(r.Context(), func(tx *store.Tx) error { return tx.EndStaffSession(v.sess.IDHash) }); err != nil {
			b.internal(w, r, v, "logout", err)
			return
		}
	}
	b.setCookie(w, "", -1)
	http.Redirect(w, r, Prefix+"/connexion", http.StatusSeeOther)
}
