package backoffice

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// staffDetailData is an account's page for the administrator.
type staffDetailData struct {
	staffRow
	Self bool
	// Password is a password just drawn, shown this once.
	Password string
	Issuer   string
}

func (b *Backoffice) staffDetail(w http.ResponseWriter, r *http.Request, v *visit) {
	b.renderStaffDetail(w, r, v, r.PathValue("id"), http.StatusOK, "", "")
}

func (b *Backoffice) renderStaffDetail(w http.ResponseWriter, r *http.Request, v *visit, id string, status int, errMsg, password string) {
	var s *store.Staff
	if err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		s, err = tx.StaffByID(id)
		return err
	}); err != nil {
		b.internal(w, r, v, "staff detail", err)
		return
	} else if s == nil || s.Org != v.org {
		b.notFound(w, r)
		return
	}
	d, err := b.staffForm(r, v, *s)
	if err != nil {
		b.internal(w, r, v, "staff form", err)
		return
	}
	d.Detail = &staffDetailData{staffRow: staffRow{Staff: *s, Locked: locked(s, b.cfg.Now())}, Self: s.ID == v.staff.ID,
		Password: password}
	if b.login != nil {
		d.Detail.Issuer = b.login.Issuer()
	}
	page := b.newView(v, "Compte "+s.Login, "comptes", d)
	page.Error = errMsg
	if password != "" {
		page.Notice = "Mot de passe provisoire (affiché une seule fois, à changer à la première connexion) : " + password
	}
	b.render(w, status, "staff_detail", page)
}

// staffEdit changes an account's name, e-mail and grants. An account's
// sessions end when its grants change, so new rights apply at once.
func (b *Backoffice) staffEdit(w http.ResponseWriter, r *http.Request, v *visit) {
	b.changeStaff(w, r, v, "staff.update", func(tx *store.Tx, s *store.Staff) (any, bool, error) {
		before := staffSummary(s)
		oldGrants := append([]store.Grant(nil), s.Grants...)
		if err := readStaffForm(r, s); err != nil {
			return nil, false, err
		}
		return map[string]any{"avant": before, "apres": staffSummary(s)}, !sameGrants(oldGrants, s.Grants), nil
	})
}

func sameGrants(a, b []store.Grant) bool {
	if len(a) != len(b) {
		return false
	}
	for _, g := range a {
		found := false
		for _, h := range b {
			found = found || g == h
		}
		if !found {
			return false
		}
	}
	return true
}

// staffAction is one button of an account's page.
type staffAction struct {
	path, action string
	// self tells whether an administrator may do it on their own account.
	self bool
	do   func(b *Backoffice, r *http.Request, s *store.Staff) (detail any, password string, err error)
}

var staffActions = []staffAction{
	{"desactiver", "staff.disable", false, func(b *Backoffice, r *http.Request, s *store.Staff) (any, string, error) {
		s.Disabled = true
		return nil, "", nil
	}},
	{"activer", "staff.enable", false, func(b *Backoffice, r *http.Request, s *store.Staff) (any, string, error) {
		s.Disabled = false
		return nil, "", nil
	}},
	{"debloquer", "staff.unlock", true, func(b *Backoffice, r *http.Request, s *store.Staff) (any, string, error) {
		s.Failures, s.LockedUntil = 0, time.Time{}
		return nil, "", nil
	}},
	{"mot-de-passe", "staff.password_reset", false, func(b *Backoffice, r *http.Request, s *store.Staff) (any, string, error) {
		p := NewPassword()
		h, err := b.hashPassword(p)
		s.PasswordHash, s.MustChange, s.Failures, s.LockedUntil = h, true, 0, time.Time{}
		return nil, p, err
	}},
	{"totp", "staff.totp_reset", false, func(b *Backoffice, r *http.Request, s *store.Staff) (any, string, error) {
		if s.TOTPSecret == "" && s.TOTPPending == "" {
			return nil, "", regie.Errorf(regie.EConflict, "Ce compte n'a pas de second facteur.")
		}
		s.TOTPSecret, s.TOTPPending = "", ""
		return nil, "", nil
	}},
	{"oidc", "staff.oidc_bind", false, func(b *Backoffice, r *http.Request, s *store.Staff) (any, string, error) {
		sub := strings.TrimSpace(r.PostFormValue("subject"))
		switch {
		case b.login == nil:
			return nil, "", regie.Errorf(regie.EInvalid, "Aucun fournisseur d'identité n'est configuré.")
		case sub == "" || len(sub) > 255:
			return nil, "", regie.Errorf(regie.EInvalid, "Indiquez l'identifiant de connexion transmis par la personne.")
		}
		s.OIDCIssuer, s.OIDCSubject = b.login.Issuer(), sub
		return map[string]string{"issuer": s.OIDCIssuer, "subject": sub}, "", nil
	}},
	{"oidc/retirer", "staff.oidc_unbind", false, func(b *Backoffice, r *http.Request, s *store.Staff) (any, string, error) {
		if s.OIDCSubject == "" {
			return nil, "", regie.Errorf(regie.EConflict, "Aucune identité n'est liée à ce compte.")
		}
		detail := map[string]string{"issuer": s.OIDCIssuer, "subject": s.OIDCSubject}
		s.OIDCIssuer, s.OIDCSubject = "", ""
		return detail, "", nil
	}},
}

func (b *Backoffice) staffAction(path string) visitHandler {
	i := slices.IndexFunc(staffActions, func(a staffAction) bool { return a.path == path })
	if i < 0 {
		panic("backoffice: no staff action " + path)
	}
	a := staffActions[i]
	return func(w http.ResponseWriter, r *http.Request, v *visit) {
		var password string
		ok := b.changeStaff(w, r, v, a.action, func(tx *store.Tx, s *store.Staff) (any, bool, error) {
			if s.ID == v.staff.ID && !a.self {
				return nil, false, regie.Errorf(regie.EConflict, "Vous ne pouvez pas faire cela sur votre propre compte : demandez-le à un autre administrateur (votre mot de passe se change sur « Mon compte »).")
			}
			detail, p, err := a.do(b, r, s)
			password = p
			return detail, a.action != "staff.unlock" && a.action != "staff.oidc_bind", err
		})
		if ok && password != "" {
			b.renderStaffDetail(w, r, v, r.PathValue("id"), http.StatusOK, "", password)
		}
	}
}

// changeStaff applies one change to the account of the path in one
// transaction: change, invariants, sessions ended when endSessions, audit.
// It answers (a redirect to the account's page, or the error) unless a
// password was drawn (ok true and the caller shows it).
func (b *Backoffice) changeStaff(w http.ResponseWriter, r *http.Request, v *visit, action string,
	change func(tx *store.Tx, s *store.Staff) (detail any, endSessions bool, err error)) bool {
	id := r.PathValue("id")
	var drawn bool
	err := b.st.Update(r.Context(), func(tx *store.Tx) error {
		s, err := tx.StaffByID(id)
		if err != nil {
			return err
		} else if s == nil || s.Org != v.org {
			return regie.Errorf(regie.ENotFound, "Ce compte n'existe pas.")
		}
		detail, end, err := change(tx, s)
		if err != nil {
			return err
		}
		drawn = s.MustChange && action == "staff.password_reset"
		if err := tx.SaveStaff(s, b.cfg.Now()); err != nil {
			return err
		}
		if end {
			if err := tx.EndStaffSessions(s.ID); err != nil {
				return err
			}
		}
		if err := b.staffInvariants(tx, v); err != nil {
			return err
		}
		return b.audit(tx, v, action, "", s.Login, detail)
	})
	if err != nil {
		if re, ok := err.(*regie.Error); ok && regie.ClassOf(re.Code) != regie.ClassNotFound {
			status := http.StatusBadRequest
			if regie.ClassOf(re.Code) == regie.ClassConflict {
				status = http.StatusConflict
			}
			b.renderStaffDetail(w, r, v, id, status, re.Message, "")
			return false
		}
		b.storeFailure(w, r, v, "staff change", err)
		return false
	}
	if drawn {
		return true
	}
	http.Redirect(w, r, Prefix+"/comptes/"+id, http.StatusSeeOther)
	return false
}

// staffInvariants are checked after every change, whatever it was: one
// enabled administrator at least, and the administrator acting still one,
// enabled, with a way to log in.
func (b *Backoffice) staffInvariants(tx *store.Tx, v *visit) error {
	all, err := tx.StaffList(v.org)
	if err != nil {
		return err
	}
	for _, s := range all {
		if s.ID == v.staff.ID && (s.Disabled || !isAdmin(&s) || (s.PasswordHash == "" && s.OIDCSubject == "")) {
			return regie.Errorf(regie.EConflict, "Ce changement vous retirerait l'administration ou l'accès à votre propre compte : demandez-le à un autre administrateur.")
		}
	}
	return tx.CheckAdmins(v.org)
}
