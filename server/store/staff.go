package store

import (
	"database/sql"
	"errors"
	"time"

	"github.com/regie-fr/regie"
)

// Staff is a back-office account: a régisseur, a suppléant, someone of the
// finance department or of the city's IT. Its rights are its grants.
type Staff struct {
	ID           string
	Login        string
	Name         string
	Email        string
	PasswordHash string
	TOTPSecret   string
	TOTPStep     int64
	OIDCIssuer   string
	OIDCSubject  string
	Disabled     bool
	Failures     int
	LockedUntil  time.Time
	// MustChange: the password was set by someone else (an administrator,
	// the CLI) and its owner must replace it before anything else.
	MustChange bool
	// TOTPPending is a secret being set up, not yet confirmed by a code.
	TOTPPending string
	Created     time.Time
	Changed     time.Time
	Grants      []Grant
	// Org is the organisation the account belongs to ("" when saved: the
	// server's only one); its grants name régies of that organisation only.
	Org string
}

// Grant is a role on one régie; Regie "" is every régie.
type Grant struct {
	Role  string `json:"role"`
	Regie string `json:"regie"`
}

// Staff roles, as the acte constitutif and the city's organisation name them.
const (
	RoleRegisseur = "regisseur" // régisseur titulaire
	RoleSuppleant = "suppleant" // mandataire suppléant
	RoleFinance   = "finance"   // the finance department: reads and exports
	RoleAdmin     = "admin"     // the city's IT: régies, counters, agents, staff
)

const staffColumns = `id, login, name, email, password_hash, totp_secret, totp_step, oidc_issuer, oidc_subject,
	disabled, failures, locked_until, created_at, changed_at, must_change, totp_pending, org`

func scanStaff(row interface{ Scan(...any) error }) (*Staff, error) {
	var s Staff
	var locked, created, changed string
	err := row.Scan(&s.ID, &s.Login, &s.Name, &s.Email, &s.PasswordHash, &s.TOTPSecret, &s.TOTPStep,
		&s.OIDCIssuer, &s.OIDCSubject, &s.Disabled, &s.Failures, &locked, &created, &changed, &s.MustChange, &s.TOTPPending, &s.Org)
	if err != nil {
		return nil, err
	}
	s.LockedUntil = parseDBTime(locked)
	s.Created = parseDBTime(created)
	s.Changed = parseDBTime(changed)
	return &s, nil
}

// StaffByID reads an account with its grants; nil when there is none.
func (t *Tx) StaffByID(id string) (*Staff, error) {
	return t.staffWhere(`id = ?`, id)
}

// StaffByLogin reads an account by its login; nil when there is none.
func (t *Tx) StaffByLogin(login string) (*Staff, error) {
	return t.staffWhere(`login = ?`, login)
}

// StaffByOIDC reads the account bound to an OpenID Connect identity.
func (t *Tx) StaffByOIDC(issuer, subject string) (*Staff, error) {
	if subject == "" {
		return nil, nil
	}
	return t.staffWhere(`oidc_issuer = ? AND oidc_subject = ?`, issuer, subject)
}

func (t *Tx) staffWhere(cond string, args ...any) (*Staff, error) {
	s, err := scanStaff(t.queryRow(`SELECT `+staffColumns+` FROM staff WHERE `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("read staff", err)
	}
	if s.Grants, err = t.grants(s.ID); err != nil {
		return nil, err
	}
	return s, nil
}

// StaffList reads every account of an organisation with its grants, by
// login.
func (t *Tx) StaffList(org string) ([]Staff, error) {
	rows, err := t.query(`SELECT `+staffColumns+` FROM staff WHERE org = ? ORDER BY login`, org)
	if err != nil {
		return nil, wrap("list staff", err)
	}
	var out []Staff
	for rows.Next() {
		s, err := scanStaff(rows)
		if err != nil {
			rows.Close()
			return nil, wrap("list staff", err)
		}
		out = append(out, *s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("list staff", err)
	}
	for i := range out {
		if out[i].Grants, err = t.grants(out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *Tx) grants(staffID string) ([]Grant, error) {
	rows, err := t.query(`SELECT role, regie FROM staff_grants WHERE staff_id = ? ORDER BY regie, role`, staffID)
	if err != nil {
		return nil, wrap("read grants", err)
	}
	defer rows.Close()
	var out []Grant
	for rows.Next() {
		var g Grant
		if err := rows.Scan(&g.Role, &g.Regie); err != nil {
			return nil, wrap("read grants", err)
		}
		out = append(out, g)
	}
	return out, wrap("read grants", rows.Err())
}

// SaveStaff creates or replaces an account and its grants, after checking
// them whole: a known role, an existing régie, a login and a name.
func (t *Tx) SaveStaff(s *Staff, now time.Time) error {
	if err := t.checkStaff(s); err != nil {
		return err
	}
	if s.Created.IsZero() {
		s.Created = now
	}
	s.Changed = now
	locked := ""
	if !s.LockedUntil.IsZero() {
		locked = dbTime(s.LockedUntil)
	}
	err := t.exec(`INSERT INTO staff (`+staffColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET login = excluded.login, name = excluded.name, email = excluded.email,
		password_hash = excluded.password_hash, totp_secret = excluded.totp_secret, totp_step = excluded.totp_step,
		oidc_issuer = excluded.oidc_issuer, oidc_subject = excluded.oidc_subject, disabled = excluded.disabled,
		failures = excluded.failures, locked_until = excluded.locked_until, changed_at = excluded.changed_at,
		must_change = excluded.must_change, totp_pending = excluded.totp_pending`,
		s.ID, s.Login, s.Name, s.Email, s.PasswordHash, s.TOTPSecret, s.TOTPStep, s.OIDCIssuer, s.OIDCSubject,
		s.Disabled, s.Failures, locked, dbTime(s.Created), dbTime(s.Changed), s.MustChange, s.TOTPPending, s.Org)
	if err != nil {
		return wrap("save staff", err)
	}
	if err := t.exec(`DELETE FROM staff_grants WHERE staff_id = ?`, s.ID); err != nil {
		return wrap("save grants", err)
	}
	for _, g := range s.Grants {
		if err := t.exec(`INSERT INTO staff_grants (staff_id, role, regie) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			s.ID, g.Role, g.Regie); err != nil {
			return wrap("save grants", err)
		}
	}
	if s.Disabled {
		return t.EndStaffSessions(s.ID)
	}
	return nil
}

func (t *Tx) checkStaff(s *Staff) error {
	if err := t.staffOrg(s); err != nil {
		return err
	}
	switch {
	case s.ID == "":
		return regie.Errorf(regie.EInvalid, "Compte sans identifiant interne.")
	case !validLogin(s.Login):
		return regie.Errorf(regie.EInvalid, "Identifiant invalide : de 3 à 64 caractères, lettres sans accent, chiffres, point, tiret, tiret bas ou @.")
	case len([]rune(s.Name)) < 2 || len(s.Name) > 200:
		return regie.Errorf(regie.EInvalid, "Indiquez le nom et le prénom de la personne.")
	}
	var other int
	if err := t.queryRow(`SELECT count(*) FROM staff WHERE id <> ? AND (login = ? OR (oidc_subject <> '' AND oidc_issuer = ? AND oidc_subject = ?))`,
		s.ID, s.Login, s.OIDCIssuer, s.OIDCSubject).Scan(&other); err != nil {
		return wrap("check staff", err)
	} else if other > 0 {
		return regie.Errorf(regie.EConflict, "Cet identifiant ou cette identité de connexion est déjà celui d'un autre compte.")
	}
	for _, g := range s.Grants {
		switch g.Role {
		case RoleAdmin:
			if g.Regie != "" {
				return regie.Errorf(regie.EInvalid, "Le rôle administrateur porte sur toutes les régies.")
			}
			continue
		case RoleRegisseur, RoleSuppleant:
			if g.Regie == "" {
				return regie.Errorf(regie.EInvalid, "Un régisseur ou un suppléant l'est d'une régie précise.")
			}
		case RoleFinance:
		default:
			return regie.Errorf(regie.EInvalid, "Rôle inconnu : %s.", g.Role)
		}
		if g.Regie != "" {
			r, err := t.Regie(g.Regie)
			if err != nil {
				return err
			} else if r == nil {
				return regie.Errorf(regie.ENotFound, "Régie inconnue : %s.", g.Regie)
			}
			if org, err := t.RegieOrg(g.Regie); err != nil {
				return err
			} else if org != s.Org {
				return regie.Errorf(regie.EInvalid, "La régie %s est d'une autre organisation que le compte.", g.Regie)
			}
		}
	}
	return nil
}

func validLogin(s string) bool {
	if len(s) < 3 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' || c == '@'
		if !ok {
			return false
		}
	}
	return true
}
