package store

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"
)

// StaffSession is a logged-in back-office visit, kept in the database so
// that every server instance sees it (architecture rule 11). The cookie
// holds a random token; the table holds its SHA-256 only.
type StaffSession struct {
	IDHash  string
	StaffID string
	CSRF    string
	// SecondFactor is true once the TOTP code was given, or when the
	// account needs none (an OpenID Connect login: the provider did it).
	SecondFactor bool
	// IDToken is kept for the provider's logout.
	IDToken string
	Created time.Time
	Seen    time.Time
}

// SessionHash names a session in the table from its cookie's token.
func SessionHash(token string) string {
	sum := sha256.Sum256([]byte("regie-staff-session:" + token))
	return hex.EncodeToString(sum[:])
}

// StartStaffSession records a new session.
func (t *Tx) StartStaffSession(s *StaffSession) error {
	return wrap("start session", t.exec(`INSERT INTO staff_sessions (id_hash, staff_id, csrf, second_factor, id_token,
		created_at, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, s.IDHash, s.StaffID, s.CSRF, s.SecondFactor, s.IDToken,
		dbTime(s.Created), dbTime(s.Seen)))
}

// StaffSession reads a session by its hash; nil when there is none.
func (t *Tx) StaffSession(idHash string) (*StaffSession, error) {
	var s StaffSession
	var created, seen string
	err := t.queryRow(`SELECT id_hash, staff_id, csrf, second_factor, id_token, created_at, seen_at
		FROM staff_sessions WHERE id_hash = ?`, idHash).Scan(&s.IDHash, &s.StaffID, &s.CSRF, &s.SecondFactor,
		&s.IDToken, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("read session", err)
	}
	s.Created = parseDBTime(created)
	s.Seen = parseDBTime(seen)
	return &s, nil
}

// TouchStaffSession records that the session was used now.
func (t *Tx) TouchStaffSession(idHash string, now time.Time) error {
	return wrap("touch session", t.exec(`UPDATE staff_sessions SET seen_at = ? WHERE id_hash = ?`, dbTime(now), idHash))
}

// PassSecondFactor marks a session as past its second factor.
func (t *Tx) PassSecondFactor(idHash string) error {
	return wrap("second factor", t.exec(`UPDATE staff_sessions SET second_factor = 1 WHERE id_hash = ?`, idHash))
}

// EndStaffSession ends one session.
func (t *Tx) EndStaffSession(idHash string) error {
	return wrap("end session", t.exec(`DELETE FROM staff_sessions WHERE id_hash = ?`, idHash))
}

// EndStaffSessions ends every session of an account: when it is disabled,
// its password reset or its grants changed by someone else.
func (t *Tx) EndStaffSessions(staffID string) error {
	return wrap("end sessions", t.exec(`DELETE FROM staff_sessions WHERE staff_id = ?`, staffID))
}

// SweepStaffSessions drops the sessions idle since before idle or started
// before started.
func (t *Tx) SweepStaffSessions(idle, started time.Time) error {
	return wrap("sweep sessions", t.exec(`DELETE FROM staff_sessions WHERE seen_at < ? OR created_at < ?`,
		dbTime(idle), dbTime(started)))
}
