package backoffice

import (
	"net/http"

	"github.com/regie-fr/regie/server/store"
)

// codeData is what the second factor's page shows: the code field, and
// for an account without a secret yet (an administrator's first login)
// the set-up of one.
type codeData struct {
	CSRF       string
	NeedSecret bool
	Setup      *totpSetup
}

// halfVisit reads a session that may still wait for its second factor;
// a form must carry its CSRF token.
func (b *Backoffice) halfVisit(w http.ResponseWriter, r *http.Request) (*visit, bool) {
	v, err := b.current(r)
	if err != nil {
		b.internal(w, r, nil, "session", err)
		return nil, false
	}
	if v == nil {
		if r.Method == http.MethodGet {
			http.Redirect(w, r, Prefix+"/connexion", http.StatusSeeOther)
		} else {
			b.fail(w, r, nil, http.StatusForbidden, "Session expirée",
				"Votre session a expiré : reconnectez-vous puis recommencez.")
		}
		return nil, false
	}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
		if !b.checkCSRF(r, v) {
			b.fail(w, r, nil, http.StatusForbidden, "Formulaire refusé",
				"Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.")
			return nil, false
		}
	}
	return v, true
}

// secondFactorDone tells whether the session needs nothing more.
func secondFactorDone(v *visit) bool {
	return v.sess.SecondFactor && !(isAdmin(v.staff) && v.staff.TOTPSecret == "")
}

func (b *Backoffice) codePage(w http.ResponseWriter, r *http.Request) {
	v, ok := b.halfVisit(w, r)
	if !ok {
		return
	}
	if secondFactorDone(v) {
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
		return
	}
	b.renderCode(w, r, v, http.StatusOK, "")
}

func (b *Backoffice) renderCode(w http.ResponseWriter, r *http.Request, v *visit, status int, message string) {
	d := &codeData{CSRF: v.sess.CSRF}
	if v.staff.TOTPSecret == "" {
		if v.staff.TOTPPending == "" {
			d.NeedSecret = true
		} else {
			s, err := b.totpSetup(v.staff, Prefix+"/connexion/code")
			if err != nil {
				b.internal(w, r, nil, "totp setup", err)
				return
			}
			d.Setup = s
		}
	}
	page := b.newView(&visit{city: b.cityOf(r)}, "Code de sécurité", "", d)
	page.Error = message
	b.render(w, status, "login_code", page)
}

// codeNewSecret draws the secret an account without one is to set up.
// It never replaces a confirmed secret: only an administrator resets it.
func (b *Backoffice) codeNewSecret(w http.ResponseWriter, r *http.Request) {
	v, ok := b.halfVisit(w, r)
	if !ok {
		return
	}
	if err := b.newPendingSecret(r, v.staff.ID); err != nil {
		b.internal(w, r, nil, "totp secret", err)
		return
	}
	http.Redirect(w, r, Prefix+"/connexion/code", http.StatusSeeOther)
}

// newPendingSecret gives the account a new secret to confirm, unless it
// already has a confirmed one.
func (b *Backoffice) newPendingSecret(r *http.Request, staffID string) error {
	secret, err := newTOTPSecret()
	if err != nil {
		return err
	}
	return b.st.Update(r.Context(), func(tx *store.Tx) error {
		st, err := tx.StaffByID(staffID)
		if err != nil || st == nil || st.TOTPSecret != "" {
			return err
		}
		st.TOTPPending = secret
		return tx.SaveStaff(st, b.cfg.Now())
	})
}

// codeSubmit checks the code; a good one opens a new session past its
// second factor (the half session's id is dropped), a wrong one counts
// toward the lock-out, and a lock ends the half session.
func (b *Backoffice) codeSubmit(w http.ResponseWriter, r *http.Request) {
	v, ok := b.halfVisit(w, r)
	if !ok {
		return
	}
	if secondFactorDone(v) {
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
		return
	}
	client := b.clientKey(r)
	if wait, err := b.networkLimited(r.Context(), client); err != nil {
		b.internal(w, r, nil, "code", err)
		return
	} else if wait > 0 {
		b.renderCode(w, r, v, http.StatusTooManyRequests, "Trop de tentatives manquées depuis votre réseau. Réessayez plus tard.")
		return
	}
	code := r.PostFormValue("code")
	var passed, lockedOut bool
	var st *store.Staff
	err := b.st.Update(r.Context(), func(tx *store.Tx) error {
		passed, lockedOut = false, false
		var err error
		if st, err = tx.StaffByID(v.staff.ID); err != nil || st == nil {
			return err
		}
		who := &visit{staff: st, client: v.client}
		if passed, err = b.verifyCode(tx, who, st, code, client); err != nil {
			return err
		}
		if !passed {
			if lockedOut = locked(st, b.cfg.Now()); lockedOut {
				return tx.EndStaffSession(v.sess.IDHash)
			}
			return nil
		}
		if err := tx.StaffLoginSucceeded(st.ID); err != nil {
			return err
		}
		if err := b.audit(tx, who, "login.code", "", st.Login, nil); err != nil {
			return err
		}
		return b.startSession(w, r, tx, st, true, v.sess.IDToken)
	})
	switch {
	case err != nil:
		b.internal(w, r, nil, "code", err)
	case lockedOut:
		b.setCookie(w, "", -1)
		b.loginFail(w, r, http.StatusUnauthorized, "", "Trop de codes manqués : le compte est verrouillé pour un temps. Réessayez plus tard ou demandez à l'administrateur de le débloquer.")
	case !passed:
		v.staff = st
		b.renderCode(w, r, v, http.StatusUnauthorized, "Code incorrect ou déjà utilisé. Saisissez le code que votre application affiche maintenant.")
	case st.MustChange:
		http.Redirect(w, r, Prefix+"/compte", http.StatusSeeOther)
	default:
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
	}
}

// verifyCode checks a TOTP code for st, read in tx: against its secret,
// or against the secret being set up, which the code then confirms. A
// code is accepted once; a wrong or replayed one counts like a wrong
// password, and none is checked while the account is locked.
func (b *Backoffice) verifyCode(tx *store.Tx, who *visit, st *store.Staff, code, client string) (bool, error) {
	now := b.cfg.Now()
	if locked(st, now) || st.Disabled {
		return false, nil
	}
	secret, setup := st.TOTPSecret, false
	if secret == "" {
		secret, setup = st.TOTPPending, true
	}
	step, found := totpStep(secret, code, now)
	if found {
		used, err := tx.UseTOTPStep(st.ID, step)
		if err != nil {
			return false, err
		}
		found = used
	}
	if !found {
		return false, b.countFailure(tx, who, st, client, "login.code_failure", map[string]string{"cause": "code incorrect ou déjà utilisé"})
	}
	if !setup {
		return true, nil
	}
	st.TOTPSecret, st.TOTPPending, st.TOTPStep = st.TOTPPending, "", step
	if err := tx.SaveStaff(st, now); err != nil {
		return false, err
	}
	return true, b.audit(tx, who, "account.totp_enabled", "", st.Login, nil)
}
