package store

import (
	"database/sql"
	"errors"
	"time"

	"github.com/regie-fr/regie"
)

// Counter is a counter as the server knows it: who it is, whether it has
// traded its enrolment code for a credential, whether it was revoked.
type Counter struct {
	ID        int64
	Regie     string
	Code      string
	Name      string
	Enrolled  bool
	Revoked   bool
	CreatedAt string
}

// Identity is the counter as the domain names it.
func (c *Counter) Identity() regie.Counter {
	return regie.Counter{Code: c.Code, Regie: c.Regie, Name: c.Name}
}

const counterCols = `id, regie, code, name, credential_hash IS NOT NULL, revoked_at IS NOT NULL, created_at`

func scanCounter(row interface{ Scan(...any) error }) (*Counter, error) {
	var c Counter
	err := row.Scan(&c.ID, &c.Regie, &c.Code, &c.Name, &c.Enrolled, &c.Revoked, &c.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &c, err
}

// CreateCounter adds a counter to a régie with the hash of its one-time
// enrolment code, valid until expires.
func (t *Tx) CreateCounter(c regie.Counter, enrolHash string, expires, now time.Time) (*Counter, error) {
	if r, err := t.Regie(c.Regie); err != nil {
		return nil, err
	} else if r == nil {
		return nil, regie.Errorf(regie.ENotFound, "Régie inconnue : %s.", c.Regie)
	}
	if !validCode(c.Code) {
		return nil, regie.Errorf(regie.EInvalid, "Code de poste invalide : « %s » (lettres majuscules et chiffres, 2 à 12).", c.Code)
	}
	if reservedCounterCode(c.Code) {
		return nil, regie.Errorf(regie.EInvalid, "Le code de poste %s est réservé aux postes du serveur.", c.Code)
	}
	if old, err := t.CounterByCode(c.Regie, c.Code); err != nil {
		return nil, err
	} else if old != nil {
		return nil, regie.Errorf(regie.EConflict, "Le poste %s existe déjà dans la régie %s.", c.Code, c.Regie)
	}
	if !plainText(c.Name, 60) || c.Name == "" {
		return nil, regie.Errorf(regie.EInvalid, "Le nom du poste est obligatoire (60 caractères au plus, sur une ligne).")
	}
	rev, err := t.nextRev()
	if err != nil {
		return nil, err
	}
	if err := t.exec(`INSERT INTO counters (regie, code, name, enrol_hash, enrol_expires, created_at, rev)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.Regie, c.Code, c.Name, enrolHash, dbTime(expires), dbTime(now), rev); err != nil {
		return nil, wrap("create counter", err)
	}
	return t.CounterByCode(c.Regie, c.Code)
}

// NewEnrolCode gives a counter a fresh enrolment code (a reinstalled
// machine); the current credential stays valid until the code is used.
func (t *Tx) NewEnrolCode(regieCode, code, enrolHash string, expires time.Time) error {
	c, err := t.CounterByCode(regieCode, code)
	if err != nil {
		return err
	} else if c == nil {
		return regie.Errorf(regie.ENotFound, "Poste inconnu : %s de la régie %s.", code, regieCode)
	} else if c.Revoked {
		return regie.Errorf(regie.EForbidden, "Le poste %s est révoqué : créez-en un autre.", code)
	}
	if err := t.deskOnly(c); err != nil {
		return err
	}
	return wrap("new enrol code", t.exec(`UPDATE counters SET enrol_hash = ?, enrol_expires = ?, enrol_used_at = NULL WHERE id = ?`,
		enrolHash, dbTime(expires), c.ID))
}

// RevokeCounter refuses the counter's credential from now on, for good.
func (t *Tx) RevokeCounter(regieCode, code string, now time.Time) error {
	c, err := t.CounterByCode(regieCode, code)
	if err != nil {
		return err
	} else if c == nil {
		return regie.Errorf(regie.ENotFound, "Poste inconnu : %s de la régie %s.", code, regieCode)
	}
	if err := t.deskOnly(c); err != nil {
		return err
	}
	return wrap("revoke counter", t.exec(`UPDATE counters SET revoked_at = coalesce(revoked_at, ?), enrol_hash = NULL
		WHERE id = ?`, dbTime(now), c.ID))
}

// EnrolRetryWindow is how long after its first use an enrolment code can be
// sent again and get the same credential: an answer lost on the way (a
// proxy cut, a timeout) is retried by the counter within seconds, and an
// agent trying again by hand within minutes.
const EnrolRetryWindow = 10 * time.Minute

// Enrol trades a one-time code for a credential: the credential's hash
// replaces any earlier one, and the code is marked used. The caller derives
// the credential from the code (credential.FromEnrolCode), so the same code
// sent again within EnrolRetryWindow brings the same credential hash and
// gets the same counter back without writing anything; later, or with
// another credential, it is refused. It returns nil when the code is
// unknown, used (outside that retry), expired or its counter revoked — the
// caller cannot tell which, and neither can someone guessing codes.
func (t *Tx) Enrol(enrolHash, credentialHash string, now time.Time) (*Counter, error) {
	var id int64
	var expires string
	var usedAt, current sql.NullString
	err := t.queryRow(`SELECT id, enrol_expires, enrol_used_at, credential_hash FROM counters
		WHERE enrol_hash = ? AND revoked_at IS NULL`, enrolHash).Scan(&id, &expires, &usedAt, &current)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("enrol", err)
	}
	switch {
	case !usedAt.Valid && expires < dbTime(now):
		return nil, nil
	case !usedAt.Valid:
		if err := t.exec(`UPDATE counters SET enrol_used_at = ?, credential_hash = ? WHERE id = ?`,
			dbTime(now), credentialHash, id); err != nil {
			return nil, wrap("enrol", err)
		}
	case usedAt.String < dbTime(now.Add(-EnrolRetryWindow)) || current.String != credentialHash:
		return nil, nil
	}
	return scanCounterWrap(t.queryRow(`SELECT `+counterCols+` FROM counters WHERE id = ?`, id))
}

var qCounterByCredential = hot(`SELECT ` + counterCols + ` FROM counters WHERE credential_hash = ? AND revoked_at IS NULL`)

// CounterByCredential finds the counter a credential belongs to; nil when
// the credential is unknown or the counter revoked.
func (t *Tx) CounterByCredential(credentialHash string) (*Counter, error) {
	return scanCounterWrap(t.queryRow(qCounterByCredential, credentialHash))
}

// CounterByCode finds a counter of a régie; nil when unknown.
func (t *Tx) CounterByCode(regieCode, code string) (*Counter, error) {
	return scanCounterWrap(t.queryRow(qCounterByCode, regieCode, code))
}

// Counters lists every counter by régie and code.
func (t *Tx) Counters() ([]Counter, error) {
	rows, err := t.query(`SELECT ` + counterCols + ` FROM counters ORDER BY regie, code`)
	if err != nil {
		return nil, wrap("counters", err)
	}
	defer rows.Close()
	var out []Counter
	for rows.Next() {
		c, err := scanCounter(rows)
		if err != nil {
			return nil, wrap("counters", err)
		}
		out = append(out, *c)
	}
	return out, wrap("counters", rows.Err())
}

func scanCounterWrap(row *sql.Row) (*Counter, error) {
	c, err := scanCounter(row)
	return c, wrap("counter", err)
}

// validCode accepts the short upper-case codes used in receipt numbers.
func validCode(s string) bool {
	if len(s) < 2 || len(s) > 12 {
		return false
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
