package store

import (
	"github.com/regie-fr/regie"
	"time"
)

// StaffLoginFailed counts a failed login (a wrong password or code) on an
// account and, when lockFor says so for the new count, locks it until now
// plus that long. The count is taken in the statement itself, so two
// instances failing at once both count.
func (t *Tx) StaffLoginFailed(id string, now time.Time, lockFor func(failures int) time.Duration) (int, time.Time, error) {
	var n int
	if err := t.queryRow(`UPDATE staff SET failures = failures + 1 WHERE id = ? RETURNING failures`, id).Scan(&n); err != nil {
		return 0, time.Time{}, wrap("login failed", err)
	}
	var until time.Time
	if d := lockFor(n); d > 0 {
		until = now.Add(d)
		if err := t.exec(`UPDATE staff SET locked_until = ? WHERE id = ?`, dbTime(until), id); err != nil {
			return 0, time.Time{}, wrap("lock staff", err)
		}
	}
	return n, until, nil
}

// StaffLoginSucceeded clears an account's failures and lock.
func (t *Tx) StaffLoginSucceeded(id string) error {
	return wrap("login succeeded", t.exec(`UPDATE staff SET failures = 0, locked_until = '' WHERE id = ?`, id))
}

// UseTOTPStep records that the code of a time step was accepted, and
// tells false when that step (or a later one) already was: a code is
// good once, even when two instances receive it at the same moment.
func (t *Tx) UseTOTPStep(id string, step int64) (bool, error) {
	n, err := t.execCount(`UPDATE staff SET totp_step = ? WHERE id = ? AND totp_step < ?`, step, id, step)
	return n == 1, wrap("totp step", err)
}

// AddClientFailure records a failed login from a client network (a hash)
// and prunes the records older than a day.
func (t *Tx) AddClientFailure(client string, at time.Time) error {
	if err := t.exec(`DELETE FROM staff_login_failures WHERE at < ?`, dbTime(at.Add(-24*time.Hour))); err != nil {
		return wrap("prune login failures", err)
	}
	return wrap("login failure", t.exec(`INSERT INTO staff_login_failures (client, at) VALUES (?, ?)`, client, dbTime(at)))
}

// ClientFailures counts a client network's failed logins since a time,
// and tells the oldest of them (when the count will start to fall).
func (t *Tx) ClientFailures(client string, since time.Time) (int, time.Time, error) {
	var n int
	var oldest string
	err := t.queryRow(`SELECT count(*), coalesce(min(at), '') FROM staff_login_failures WHERE client = ? AND at >= ?`,
		client, dbTime(since)).Scan(&n, &oldest)
	if err != nil {
		return 0, time.Time{}, wrap("login failures", err)
	}
	return n, parseDBTime(oldest), nil
}

// CheckAdmins refuses a state of the accounts without an enabled
// administrator: every change to accounts, from the back-office or the
// command line, calls it before committing.
func (t *Tx) CheckAdmins(org string) error {
	var n int
	if err := t.queryRow(`SELECT count(*) FROM staff s JOIN staff_grants g ON g.staff_id = s.id
		WHERE g.role = 'admin' AND s.disabled = 0 AND s.org = ?`, org).Scan(&n); err != nil {
		return wrap("check admins", err)
	}
	if n == 0 {
		return regie.Errorf(regie.EConflict, "Il doit rester au moins un administrateur actif.")
	}
	return nil
}
