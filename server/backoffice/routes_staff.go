package backoffice

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// routesStaff manage the back-office's accounts (administrators only):
// list, create, edit the name, e-mail and grants, disable and enable,
// unlock, reset the password or the second factor, bind or unbind an
// OpenID Connect identity. Every change is audited in its transaction and
// checked whole afterwards (staffInvariants).
func (b *Backoffice) routesStaff(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/comptes", b.page(PermAdmin, b.staffList))
	mux.HandleFunc("GET "+Prefix+"/comptes/nouveau", b.page(PermAdmin, b.staffNewPage))
	mux.HandleFunc("POST "+Prefix+"/comptes", b.form(PermAdmin, b.staffCreate))
	mux.HandleFunc("GET "+Prefix+"/comptes/{id}", b.page(PermAdmin, b.staffDetail))
	mux.HandleFunc("POST "+Prefix+"/comptes/{id}", b.form(PermAdmin, b.staffEdit))
	// Patterns stay constant strings: the CSRF test reads them from here.
	mux.HandleFunc("POST "+Prefix+"/comptes/{id}/desactiver", b.form(PermAdmin, b.staffAction("desactiver")))
	mux.HandleFunc("POST "+Prefix+"/comptes/{id}/activer", b.form(PermAdmin, b.staffAction("activer")))
	mux.HandleFunc("POST "+Prefix+"/comptes/{id}/debloquer", b.form(PermAdmin, b.staffAction("debloquer")))
	mux.HandleFunc("POST "+Prefix+"/comptes/{id}/mot-de-passe", b.form(PermAdmin, b.staffAction("mot-de-passe")))
	mux.HandleFunc("POST "+Prefix+"/comptes/{id}/totp", b.form(PermAdmin, b.staffAction("totp")))
	mux.HandleFunc("POST "+Prefix+"/comptes/{id}/oidc", b.form(PermAdmin, b.staffAction("oidc")))
	mux.HandleFunc("POST "+Prefix+"/comptes/{id}/oidc/retirer", b.form(PermAdmin, b.staffAction("oidc/retirer")))
}

// staffRow is an account as the list and the detail page show it.
type staffRow struct {
	store.Staff
	Locked bool
}

type staffListData struct{ Accounts []staffRow }

func (b *Backoffice) staffList(w http.ResponseWriter, r *http.Request, v *visit) {
	var list []store.Staff
	if err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		list, err = tx.StaffList(v.org)
		return err
	}); err != nil {
		b.internal(w, r, v, "staff list", err)
		return
	}
	d := &staffListData{}
	for _, s := range list {
		d.Accounts = append(d.Accounts, staffRow{Staff: s, Locked: locked(&s, b.cfg.Now())})
	}
	b.render(w, http.StatusOK, "staff_list", b.newView(v, "Comptes", "comptes", d))
}

// staffFormData is the creation form, and the grants part of the edit
// form: the régies the administrator may grant roles on.
type staffFormData struct {
	Staff    store.Staff
	Regies   []regie.Regie
	Roles    []string
	Password string // "genere" or "aucun"
	Provider string
	Detail   *staffDetailData
}

// has tells whether the form's account holds a grant (for the boxes).
func (d *staffFormData) Has(role, regieCode string) bool {
	return slices.Contains(d.Staff.Grants, store.Grant{Role: role, Regie: regieCode})
}

func (b *Backoffice) staffForm(r *http.Request, v *visit, s store.Staff) (*staffFormData, error) {
	d := &staffFormData{Staff: s, Roles: []string{store.RoleRegisseur, store.RoleSuppleant, store.RoleFinance},
		Password: "genere", Provider: b.providerNameOrEmpty()}
	allowed := v.Regies(PermAdmin)
	err := b.st.View(r.Context(), func(tx *store.Tx) error {
		rs, err := tx.Regies()
		for _, x := range rs {
			if slices.Contains(allowed, x.Code) {
				d.Regies = append(d.Regies, x)
			}
		}
		return err
	})
	return d, err
}

func (b *Backoffice) providerNameOrEmpty() string {
	if b.login == nil {
		return ""
	}
	return b.login.ProviderName()
}

func (b *Backoffice) staffNewPage(w http.ResponseWriter, r *http.Request, v *visit) {
	d, err := b.staffForm(r, v, store.Staff{})
	if err != nil {
		b.internal(w, r, v, "staff form", err)
		return
	}
	b.render(w, http.StatusOK, "staff_new", b.newView(v, "Nouveau compte", "comptes", d))
}

// readStaffForm reads the fields every account form has: name, e-mail
// and the grants, as "role:régie" boxes ("admin:" and "finance:" for
// every régie).
func readStaffForm(r *http.Request, s *store.Staff) error {
	s.Name = strings.TrimSpace(r.PostFormValue("name"))
	s.Email = strings.TrimSpace(r.PostFormValue("email"))
	if s.Email != "" && (!strings.Contains(s.Email, "@") || len(s.Email) > 254 || strings.ContainsAny(s.Email, " <>\"")) {
		return regie.Errorf(regie.EInvalid, "Adresse électronique invalide : %s.", s.Email)
	}
	s.Grants = nil
	for _, g := range r.PostForm["grant"] {
		role, code, ok := strings.Cut(g, ":")
		if !ok {
			return regie.Errorf(regie.EInvalid, "Droit illisible : %s.", g)
		}
		s.Grants = append(s.Grants, store.Grant{Role: role, Regie: code})
	}
	return nil
}

// staffCreate creates an account; its initial password, drawn here, is
// shown once and must be changed at the first login.
func (b *Backoffice) staffCreate(w http.ResponseWriter, r *http.Request, v *visit) {
	s := store.Staff{ID: uuid.Must(uuid.NewV7()).String(), Login: strings.TrimSpace(r.PostFormValue("login")), Org: v.org}
	mode := r.PostFormValue("password")
	bad := readStaffForm(r, &s)
	if bad == nil && mode != "genere" && mode != "aucun" {
		bad = regie.Errorf(regie.EInvalid, "Choisissez comment le compte se connectera.")
	}
	if bad == nil && mode == "aucun" && b.login == nil {
		bad = regie.Errorf(regie.EInvalid, "Aucun fournisseur d'identité n'est configuré : le compte a besoin d'un mot de passe.")
	}
	password := ""
	if bad == nil && mode == "genere" {
		password = NewPassword()
		hash, err := b.hashPassword(password)
		if err != nil {
			b.internal(w, r, v, "staff create", err)
			return
		}
		s.PasswordHash, s.MustChange = hash, true
	}
	if bad == nil {
		bad = b.st.Update(r.Context(), func(tx *store.Tx) error {
			if err := tx.SaveStaff(&s, b.cfg.Now()); err != nil {
				return err
			}
			return b.audit(tx, v, "staff.create", "", s.Login, staffSummary(&s))
		})
	}
	if bad != nil {
		var re *regie.Error
		if !errors.As(bad, &re) {
			b.internal(w, r, v, "staff create", bad)
			return
		}
		d, err := b.staffForm(r, v, s)
		if err != nil {
			b.internal(w, r, v, "staff form", err)
			return
		}
		d.Password = mode
		page := b.newView(v, "Nouveau compte", "comptes", d)
		page.Error = re.Message
		b.render(w, http.StatusBadRequest, "staff_new", page)
		return
	}
	b.renderStaffDetail(w, r, v, s.ID, http.StatusOK, "", password)
}

// staffSummary is what the audit trail keeps of an account: never a hash
// or a secret.
func staffSummary(s *store.Staff) map[string]any {
	return map[string]any{"login": s.Login, "nom": s.Name, "email": s.Email, "droits": s.Grants,
		"desactive": s.Disabled}
}
