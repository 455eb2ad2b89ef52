package backoffice

import (
	"crypto/rand"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
	"golang.org/x/crypto/bcrypt"
)

// The lock-out rules. An account is locked after lockAfter failures in a
// row (passwords and second-factor codes alike), for lockBase, doubled at
// each further lockAfter failures up to lockMax; a success clears the
// count. A client network (auth.ClientAddr, an IPv6 one cut to its /64)
// may fail netLimit times in netWindow, whatever the logins it tries, so a
// spray over many accounts is slowed like a guess on one. Both live in the
// database: every instance counts the same failures (rule 11).
const (
	lockAfter = 5
	lockBase  = 15 * time.Minute
	lockMax   = 24 * time.Hour
	netLimit  = 20
	netWindow = 15 * time.Minute
)

// lockFor is how long an account is locked after its n-th failure in a
// row: none until lockAfter, then lockBase, doubling at each further
// lockAfter failures.
func lockFor(n int) time.Duration {
	if n < lockAfter || n%lockAfter != 0 {
		return 0
	}
	d := lockBase
	for i := lockAfter; i < n && d < lockMax; i += lockAfter {
		d *= 2
	}
	return min(d, lockMax)
}

// locked tells whether the account is locked at now.
func locked(st *store.Staff, now time.Time) bool {
	return !st.LockedUntil.IsZero() && now.Before(st.LockedUntil)
}

// minPassword is the shortest password accepted (ANSSI's recommendation
// for a password guarded by a lock-out); maxPassword is bcrypt's limit,
// past which it would silently ignore the rest.
const (
	minPassword = 12
	maxPassword = 72
)

// CheckPassword applies the password rules to a new password; the error
// is a French sentence for the form.
func CheckPassword(login, password string) error {
	switch {
	case utf8.RuneCountInString(password) < minPassword:
		return regie.Errorf(regie.EInvalid, "Le mot de passe doit compter au moins %d caractères.", minPassword)
	case len(password) > maxPassword:
		return regie.Errorf(regie.EInvalid, "Le mot de passe ne peut dépasser %d octets (environ %d caractères).", maxPassword, maxPassword)
	case login != "" && strings.Contains(strings.ToLower(password), strings.ToLower(login)):
		return regie.Errorf(regie.EInvalid, "Le mot de passe ne doit pas contenir l'identifiant.")
	case strings.TrimSpace(password) == "":
		return regie.Errorf(regie.EInvalid, "Le mot de passe ne peut pas être fait que d'espaces.")
	}
	return nil
}

// hashPassword hashes a password that passed checkPassword.
func (b *Backoffice) hashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), b.cfg.PasswordCost)
	return string(h), err
}

// samePassword compares a password with an account's hash; an account
// with none (unknown login, OpenID Connect only) is compared with a dummy
// hash of the same cost, so the answer takes as long whether the login
// exists or not.
func (b *Backoffice) samePassword(st *store.Staff, password string) bool {
	hash := b.dummyHash
	if st != nil && st.PasswordHash != "" {
		hash = st.PasswordHash
	}
	ok := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
	return ok && st != nil && st.PasswordHash != ""
}

// NewPassword draws a password an administrator hands over once:
// crypto/rand's Text, 26 base32 characters (128 bits), to be replaced at
// the first login.
func NewPassword() string { return rand.Text() }
