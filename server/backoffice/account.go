package backoffice

import (
	"errors"
	"net/http"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// accountData is the account's own page: who it is, its roles, its second
// factor and, while one is being set up, the secret to confirm.
type accountData struct {
	Staff    *store.Staff
	Setup    *totpSetup
	Provider string
}

func (b *Backoffice) accountPage(w http.ResponseWriter, r *http.Request, v *visit) {
	b.renderAccount(w, r, v, http.StatusOK, "", "")
}

func (b *Backoffice) renderAccount(w http.ResponseWriter, r *http.Request, v *visit, status int, errMsg, notice string) {
	d := &accountData{Staff: v.staff}
	if b.login != nil {
		d.Provider = b.login.ProviderName()
	}
	if v.staff.TOTPSecret == "" && v.staff.TOTPPending != "" {
		s, err := b.totpSetup(v.staff, Prefix+"/compte/totp")
		if err != nil {
			b.internal(w, r, v, "totp setup", err)
			return
		}
		d.Setup = s
	}
	page := b.newView(v, "Mon compte", "", d)
	if v.staff.MustChange && errMsg == "" {
		errMsg = "Votre mot de passe a été donné par un administrateur : choisissez le vôtre avant de continuer."
	}
	page.Error, page.Notice = errMsg, notice
	b.render(w, status, "account", page)
}

// accountPassword changes the account's own password: the current one is
// required (a wrong one counts toward the lock-out like at the login), the
// new one follows the rules, and the account's other sessions end.
func (b *Backoffice) accountPassword(w http.ResponseWriter, r *http.Request, v *visit) {
	current, next, again := r.PostFormValue("actuel"), r.PostFormValue("nouveau"), r.PostFormValue("confirmation")
	if v.staff.PasswordHash == "" {
		b.renderAccount(w, r, v, http.StatusBadRequest, "Ce compte se connecte par "+b.providerName()+" et n'a pas de mot de passe.", "")
		return
	}
	var bad error
	switch {
	case next != again:
		bad = regie.Errorf(regie.EInvalid, "Les deux saisies du nouveau mot de passe diffèrent.")
	case next == current:
		bad = regie.Errorf(regie.EInvalid, "Le nouveau mot de passe doit différer de l'actuel.")
	default:
		bad = CheckPassword(v.staff.Login, next)
	}
	if bad != nil {
		b.renderAccount(w, r, v, http.StatusBadRequest, bad.(*regie.Error).Message, "")
		return
	}
	match := b.samePassword(v.staff, current)
	hash, err := b.hashPassword(next)
	if err != nil {
		b.internal(w, r, v, "password", err)
		return
	}
	changed := false
	err = b.st.Update(r.Context(), func(tx *store.Tx) error {
		changed = false
		st, err := tx.StaffByID(v.staff.ID)
		if err != nil {
			return err
		} else if st == nil {
			return errors.New("account vanished")
		}
		if !match || locked(st, b.cfg.Now()) {
			return b.countFailure(tx, v, st, b.clientKey(r), "account.password_failure", map[string]string{"cause": "mot de passe actuel"})
		}
		st.PasswordHash, st.MustChange = hash, false
		if err := tx.SaveStaff(st, b.cfg.Now()); err != nil {
			return err
		}
		if err := b.endOtherSessions(tx, st.ID, v.sess.IDHash); err != nil {
			return err
		}
		v.staff, changed = st, true
		return b.audit(tx, v, "account.password", "", st.Login, nil)
	})
	switch {
	case err != nil:
		b.internal(w, r, v, "password", err)
	case !changed:
		b.renderAccount(w, r, v, http.StatusUnauthorized, "Le mot de passe actuel est incorrect (ou le compte est verrouillé après trop d'essais).", "")
	default:
		b.renderAccount(w, r, v, http.StatusOK, "", "Votre mot de passe a été changé ; vos autres sessions sont fermées.")
	}
}

// endOtherSessions ends an account's sessions but the one given.
func (b *Backoffice) endOtherSessions(tx *store.Tx, staffID, keep string) error {
	s, err := tx.StaffSession(keep)
	if err != nil {
		return err
	}
	if err := tx.EndStaffSessions(staffID); err != nil {
		return err
	}
	if s == nil {
		return nil
	}
	return tx.StartStaffSession(s)
}

func (b *Backoffice) providerName() string {
	if b.login != nil {
		return b.login.ProviderName()
	}
	return "un fournisseur d'identité"
}

// accountTOTPSecret starts setting up a second factor from the account's
// page (optional for those who are not administrators).
func (b *Backoffice) accountTOTPSecret(w http.ResponseWriter, r *http.Request, v *visit) {
	if v.staff.TOTPSecret != "" {
		b.renderAccount(w, r, v, http.StatusConflict, "Votre second facteur est déjà en place ; pour en changer, demandez à l'administrateur de le réinitialiser.", "")
		return
	}
	if err := b.newPendingSecret(r, v.staff.ID); err != nil {
		b.internal(w, r, v, "totp secret", err)
		return
	}
	http.Redirect(w, r, Prefix+"/compte", http.StatusSeeOther)
}

// accountTOTPConfirm confirms the secret being set up with a code.
func (b *Backoffice) accountTOTPConfirm(w http.ResponseWriter, r *http.Request, v *visit) {
	if v.staff.TOTPSecret != "" || v.staff.TOTPPending == "" {
		http.Redirect(w, r, Prefix+"/compte", http.StatusSeeOther)
		return
	}
	var ok bool
	err := b.st.Update(r.Context(), func(tx *store.Tx) error {
		st, err := tx.StaffByID(v.staff.ID)
		if err != nil || st == nil {
			return err
		}
		ok, err = b.verifyCode(tx, &visit{staff: st, client: v.client}, st, r.PostFormValue("code"), b.clientKey(r))
		v.staff = st
		return err
	})
	switch {
	case err != nil:
		b.internal(w, r, v, "totp confirm", err)
	case !ok:
		b.renderAccount(w, r, v, http.StatusUnauthorized, "Code incorrect ou déjà utilisé : le second facteur n'est pas enregistré.", "")
	default:
		b.renderAccount(w, r, v, http.StatusOK, "", "Votre second facteur est en place : il vous sera demandé à chaque connexion.")
	}
}
