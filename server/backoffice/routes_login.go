package backoffice

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/store"
)

// routesLogin are the pages a visitor reaches without a full session: the
// login (password, or the OpenID Connect provider), the second factor, the
// logout; and the account's own page (password, TOTP set-up), which a
// session that must change its password still reaches.
func (b *Backoffice) routesLogin(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/connexion", b.loginPage)
	mux.HandleFunc("POST "+Prefix+"/connexion", b.loginPassword)
	mux.HandleFunc("GET "+Prefix+"/connexion/code", b.codePage)
	mux.HandleFunc("POST "+Prefix+"/connexion/code", b.codeSubmit)
	mux.HandleFunc("POST "+Prefix+"/connexion/code/secret", b.codeNewSecret)
	mux.HandleFunc("GET "+Prefix+"/connexion/oidc", b.oidcStart)
	mux.HandleFunc("GET "+Prefix+"/connexion/retour", b.oidcCallback)
	mux.HandleFunc("POST "+Prefix+"/deconnexion", b.logout)
	mux.HandleFunc("GET "+Prefix+"/compte", b.own(b.accountPage))
	mux.HandleFunc("POST "+Prefix+"/compte/mot-de-passe", b.ownForm(b.accountPassword))
	mux.HandleFunc("POST "+Prefix+"/compte/totp/secret", b.ownForm(b.accountTOTPSecret))
	mux.HandleFunc("POST "+Prefix+"/compte/totp", b.ownForm(b.accountTOTPConfirm))
}

// loginData is what the login page shows.
type loginData struct {
	Login    string
	Provider string
}

// loginRefused is the one answer to every failed password login: unknown
// login, wrong password, disabled or locked account alike, so that the
// page tells nobody which logins exist or which are locked.
const loginRefused = "Identifiant ou mot de passe incorrect. Après %d essais manqués, le compte est verrouillé pour un temps ; l'administrateur peut le débloquer."

func (b *Backoffice) loginPage(w http.ResponseWriter, r *http.Request) {
	if v, err := b.current(r); err == nil && v != nil && v.sess.SecondFactor {
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
		return
	}
	b.render(w, http.StatusOK, "login", b.newView(&visit{city: b.cityOf(r)}, "Connexion", "", b.loginData("")))
}

func (b *Backoffice) loginData(login string) *loginData {
	d := &loginData{Login: login}
	if b.login != nil {
		d.Provider = b.login.ProviderName()
	}
	return d
}

// loginFail shows the login page again with a message.
func (b *Backoffice) loginFail(w http.ResponseWriter, r *http.Request, status int, login, message string) {
	v := b.newView(&visit{city: b.cityOf(r)}, "Connexion", "", b.loginData(login))
	v.Error = message
	b.render(w, status, "login", v)
}

// loginPassword checks a local account's password. The network's limit is
// checked first (a refusal that says nothing of the login); bcrypt runs
// outside any transaction, against a dummy hash when the login is unknown;
// the outcome (session, or failure counted and perhaps a lock) is then
// written in one transaction with its audit entry.
func (b *Backoffice) loginPassword(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if origin, _ := b.originOf(r); !auth.FromSite(r, origin) {
		b.fail(w, r, nil, http.StatusForbidden, "Formulaire refusé",
			"Ce formulaire ne vient pas de ce site. Rechargez la page et recommencez.")
		return
	}
	login := strings.TrimSpace(r.PostFormValue("login"))
	password := r.PostFormValue("password")
	if len(login) > 200 {
		login = login[:200]
	}
	now, client := b.cfg.Now(), b.clientKey(r)
	if wait, err := b.networkLimited(r.Context(), client); err != nil {
		b.internal(w, r, nil, "login", err)
		return
	} else if wait > 0 {
		b.loginFail(w, r, http.StatusTooManyRequests, login, fmt.Sprintf(
			"Trop de tentatives de connexion manquées depuis votre réseau. Réessayez dans %d minutes.", wait))
		return
	}
	var st *store.Staff
	if err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		st, err = tx.StaffByLogin(login)
		if st != nil && st.Org != hostOrg(r) {
			st = nil // another organisation's account: unknown here
		}
		return err
	}); err != nil {
		b.internal(w, r, nil, "login", err)
		return
	}
	match := b.samePassword(st, password)
	var ok, second bool
	err := b.st.Update(r.Context(), func(tx *store.Tx) error {
		ok, second = false, false
		var err error
		if st != nil {
			// Read again under the write lock: a lock or a disabling
			// that happened during bcrypt counts.
			if st, err = tx.StaffByID(st.ID); err != nil {
				return err
			}
		}
		who := &visit{staff: &store.Staff{}, client: b.clientAddr(r), org: hostOrg(r)}
		if st != nil {
			who.staff = st
		}
		switch {
		case st == nil || st.PasswordHash == "":
			return b.countFailure(tx, who, nil, client, "login.failure", map[string]string{"cause": "identifiant inconnu ou sans mot de passe"})
		case st.Disabled:
			return b.countFailure(tx, who, nil, client, "login.failure", map[string]string{"cause": "compte désactivé"})
		case locked(st, now):
			return b.countFailure(tx, who, nil, client, "login.failure", map[string]string{"cause": "compte verrouillé"})
		case !match:
			return b.countFailure(tx, who, st, client, "login.failure", map[string]string{"cause": "mot de passe"})
		}
		ok, second = true, !needsSecondFactor(st)
		if second {
			if err := tx.StaffLoginSucceeded(st.ID); err != nil {
				return err
			}
		}
		if err := b.audit(tx, who, "login.password", "", st.Login, map[string]bool{"code_attendu": !second}); err != nil {
			return err
		}
		return b.startSession(w, r, tx, st, second, "")
	})
	if err != nil {
		b.internal(w, r, nil, "login", err)
		return
	}
	if !ok {
		b.log.Info("backoffice: login refused", "client", client)
		b.loginFail(w, r, http.StatusUnauthorized, login, fmt.Sprintf(loginRefused, lockAfter))
		return
	}
	next := Prefix + "/"
	if !second {
		next = Prefix + "/connexion/code"
	} else if st.MustChange {
		next = Prefix + "/compte"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// networkLimited tells how many minutes the client network must wait
// before trying again (0: it may try now).
func (b *Backoffice) networkLimited(ctx context.Context, client string) (int, error) {
	now := b.cfg.Now()
	var n int
	var oldest = now
	err := b.st.View(ctx, func(tx *store.Tx) (err error) {
		n, oldest, err = tx.ClientFailures(client, now.Add(-netWindow))
		return err
	})
	if err != nil || n < netLimit {
		return 0, err
	}
	return int(oldest.Add(netWindow).Sub(now).Minutes()) + 1, nil
}

// countFailure records a failed login or code: always against the client
// network, and against the account when st is given (then perhaps a
// lock), each in the audit trail. A failure on a locked, disabled or
// unknown account is not counted on it: nothing can be learnt from it.
func (b *Backoffice) countFailure(tx *store.Tx, who *visit, st *store.Staff, client, action string, detail any) error {
	now := b.cfg.Now()
	if err := tx.AddClientFailure(client, now); err != nil {
		return err
	}
	if err := b.audit(tx, who, action, "", who.staff.Login, detail); err != nil {
		return err
	}
	if st == nil {
		return nil
	}
	n, until, err := tx.StaffLoginFailed(st.ID, now, lockFor)
	if err != nil || until.IsZero() {
		return err
	}
	st.LockedUntil = until
	return b.audit(tx, who, "login.lockout", "", st.Login, map[string]any{"echecs": n, "jusqu_a": until.UTC()})
}

// needsSecondFactor tells whether a login must be followed by a TOTP
// code: for every account that set one up, and for administrators, who
// must set one up. It applies to OpenID Connect logins too: the back-office
// cannot tell what the provider asked.
func needsSecondFactor(st *store.Staff) bool {
	return st.TOTPSecret != "" || isAdmin(st)
}

// isAdmin tells whether the account holds the administrator's role.
func isAdmin(st *store.Staff) bool {
	for _, g := range st.Grants {
		if g.Role == store.RoleAdmin {
			return true
		}
	}
	return false
}

// logout ends the session and, after an OpenID Connect login, the
// provider's too (its end-session endpoint with the ID token as hint).
func (b *Backoffice) logout(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	v, err := b.current(r)
	if err != nil {
		b.internal(w, r, nil, "logout", err)
		return
	}
	next := Prefix + "/connexion"
	if v != nil {
		if !b.checkCSRF(r, v) {
			b.fail(w, r, v, http.StatusForbidden, "Formulaire refusé",
				"Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.")
			return
		}
		if err := b.st.Update(r.Context(), func(tx *store.Tx) error {
			if err := b.audit(tx, v, "logout", "", v.staff.Login, nil); err != nil {
				return err
			}
			return tx.EndStaffSession(v.sess.IDHash)
		}); err != nil {
			b.internal(w, r, v, "logout", err)
			return
		}
		if v.sess.IDToken != "" && b.login != nil {
			if u, err := b.login.LogoutURL(r.Context(), v.sess.IDToken, randomToken()); err != nil {
				b.log.Warn("backoffice: provider logout", "err", err)
			} else if u != "" {
				next = u
			}
		}
	}
	b.setCookie(w, "", -1)
	http.Redirect(w, r, next, http.StatusSeeOther)
}
