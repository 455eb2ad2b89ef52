package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/regie-fr/regie"
)

// SaveRegie creates or replaces a régie's settings; create refuses a code
// already taken, so that a typo in an administration command cannot
// overwrite another régie.
func (t *Tx) SaveRegie(r *regie.Regie, create bool) error { return t.saveRegie("", r, create) }

// CreateRegieIn creates a régie in an organisation ("": the server's only
// one).
func (t *Tx) CreateRegieIn(org string, r *regie.Regie) error { return t.saveRegie(org, r, true) }

func (t *Tx) saveRegie(org string, r *regie.Regie, create bool) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := checkTimezone(r); err != nil {
		return err
	}
	old, err := t.Regie(r.Code)
	if err != nil {
		return err
	}
	if create && old != nil {
		return regie.Errorf(regie.EConflict, "La régie %s existe déjà.", r.Code)
	} else if !create && old == nil {
		return regie.Errorf(regie.ENotFound, "Régie inconnue : %s.", r.Code)
	}
	if org, err = t.regieOrgFor(org, r.Code, create); err != nil {
		return err
	}
	data, err := json.Marshal(r)
	if err != nil {
		return wrap("save regie", err)
	}
	rev, err := t.nextRev()
	if err != nil {
		return err
	}
	if err := t.exec(`INSERT INTO regie_settings_history (regie, settings, rev) VALUES (?, ?, ?)`, r.Code, string(data), rev); err != nil {
		return wrap("save regie", err)
	}
	return wrap("save regie", t.exec(`INSERT INTO regies (code, settings, rev, org) VALUES (?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET settings = excluded.settings, rev = excluded.rev`, r.Code, string(data), rev, org))
}

// earlierSettings are the versions of a régie's settings before its
// current one, latest first.
func (t *Tx) earlierSettings(code, current string) ([]*regie.Regie, error) {
	rows, err := t.query(qEarlierSettings, code, current)
	if err != nil {
		return nil, wrap("settings history", err)
	}
	defer rows.Close()
	var out []*regie.Regie
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, wrap("settings history", err)
		}
		var r regie.Regie
		if err := json.Unmarshal([]byte(data), &r); err != nil {
			return nil, wrap("settings history", err)
		}
		out = append(out, &r)
	}
	return out, wrap("settings history", rows.Err())
}

// Regie reads a régie's settings; nil when unknown.
func (t *Tx) Regie(code string) (*regie.Regie, error) {
	var data string
	err := t.queryRow(qRegie, code).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("regie", err)
	}
	var r regie.Regie
	return &r, wrap("regie", json.Unmarshal([]byte(data), &r))
}

// Regies lists every régie by code.
func (t *Tx) Regies() ([]regie.Regie, error) {
	rows, err := t.query(`SELECT settings FROM regies ORDER BY code`)
	if err != nil {
		return nil, wrap("regies", err)
	}
	defer rows.Close()
	var out []regie.Regie
	for rows.Next() {
		var data string
		var r regie.Regie
		if err := rows.Scan(&data); err != nil {
			return nil, wrap("regies", err)
		}
		if err := json.Unmarshal([]byte(data), &r); err != nil {
			return nil, wrap("regies", err)
		}
		out = append(out, r)
	}
	return out, wrap("regies", rows.Err())
}

// SaveAgent creates or updates an agent of a régie, found by login: that is
// how an administrator changes a role or a PIN. The agent's id is kept.
func (t *Tx) SaveAgent(regieCode string, a *regie.Agent) error {
	if r, err := t.Regie(regieCode); err != nil {
		return err
	} else if r == nil {
		return regie.Errorf(regie.ENotFound, "Régie inconnue : %s.", regieCode)
	}
	switch a.Role {
	case regie.RoleRegisseur, regie.RoleSuppleant, regie.RoleMandataire:
	default:
		return regie.Errorf(regie.EInvalid, "Rôle inconnu : « %s » (regisseur, suppleant ou mandataire).", a.Role)
	}
	if err := validAgent(a); err != nil {
		return err
	}
	var id, pin string
	err := t.queryRow(`SELECT id, pin_hash FROM agents WHERE regie = ? AND login = ?`, regieCode, a.Login).Scan(&id, &pin)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if a.PINHash == "" {
			return regie.Errorf(regie.EInvalid, "Un nouvel agent doit recevoir un code (PIN).")
		}
	case err != nil:
		return wrap("save agent", err)
	default:
		a.ID = id
		if a.PINHash == "" {
			a.PINHash = pin
		}
	}
	rev, err := t.nextRev()
	if err != nil {
		return err
	}
	return wrap("save agent", t.exec(`INSERT INTO agents (id, regie, login, name, role, pin_hash, active, rev)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash,
		active = excluded.active, rev = excluded.rev`,
		a.ID, regieCode, a.Login, a.Name, string(a.Role), a.PINHash, a.Active, rev))
}

// Agents lists a régie's agents by login, PIN hashes included (the
// counters check PINs offline).
func (t *Tx) Agents(regieCode string) ([]regie.Agent, error) {
	rows, err := t.query(`SELECT id, login, name, role, pin_hash, active FROM agents WHERE regie = ? ORDER BY login`, regieCode)
	if err != nil {
		return nil, wrap("agents", err)
	}
	defer rows.Close()
	var out []regie.Agent
	for rows.Next() {
		var a regie.Agent
		var role string
		if err := rows.Scan(&a.ID, &a.Login, &a.Name, &role, &a.PINHash, &a.Active); err != nil {
			return nil, wrap("agents", err)
		}
		a.Role = regie.Role(role)
		out = append(out, a)
	}
	return out, wrap("agents", rows.Err())
}

// SaveItem creates or updates a tariff of a régie's catalogue.
func (t *Tx) SaveItem(regieCode string, it *regie.CatalogueItem) error {
	if r, err := t.Regie(regieCode); err != nil {
		return err
	} else if r == nil {
		return regie.Errorf(regie.ENotFound, "Régie inconnue : %s.", regieCode)
	}
	if err := validItem(it); err != nil {
		return err
	}
	rev, err := t.nextRev()
	if err != nil {
		return err
	}
	return wrap("save item", t.exec(`INSERT INTO items (regie, code, label, category, price, active, rev)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (regie, code) DO UPDATE SET label = excluded.label, category = excluded.category,
		price = excluded.price, active = excluded.active, rev = excluded.rev`,
		regieCode, it.Code, it.Label, it.Category, int64(it.Price), it.Active, rev))
}

func dbTime(t time.Time) string { return t.UTC().Format(regie.TimeFormat) }
