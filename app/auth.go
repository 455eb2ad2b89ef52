package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/regie-fr/regie"
)

// Auth proves that an agent typed the right PIN at this counter. Only Login
// and Approve make one, so a screen cannot act for an agent it did not ask.
type Auth struct {
	agent regie.Agent
}

// Agent is who logged in.
func (a *Auth) Agent() regie.Agent { return a.agent }

// HashPIN hashes a PIN for storage with bcrypt; a PIN of 4 to 12 digits or a
// password of at most 72 bytes.
func HashPIN(pin string) (string, error) { return HashPINCost(pin, bcrypt.DefaultCost) }

// HashPINCost is HashPIN with a chosen bcrypt cost, for tests and demo data
// that hash many PINs.
func HashPINCost(pin string, cost int) (string, error) {
	if len(pin) < 4 || len(pin) > 72 {
		return "", regie.Errorf(regie.EInvalid, "Le code doit comporter entre 4 et 72 caractères.")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pin), cost)
	if err != nil {
		return "", fmt.Errorf("app: hash pin: %w", err)
	}
	return string(h), nil
}

var errBadCredentials = regie.Errorf(regie.EBadCredentials, "Identifiant ou code incorrect.")

// dummyHash is compared against when the login is unknown; made on first
// use, not at every start.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no such agent"), bcrypt.DefaultCost)
	return h
})

// Login checks an agent's PIN. Every attempt on a known agent is journaled;
// after lockAfter failures in a row the agent is locked out for lockFor
// from the last one, whatever PIN is typed.
func (c *Counter) Login(ctx context.Context, login, pin string) (*Auth, error) {
	if err := c.CheckFile(ctx); err != nil {
		return nil, err
	}
	var auth *Auth
	var refusal error
	err := c.store.Update(ctx, func(tx Tx) error {
		a, err := tx.AgentByLogin(login)
		if err != nil {
			return err
		}
		if a == nil || !a.Active {
			// Spend the time a real check takes, so that the answer's speed
			// does not tell which logins exist.
			bcrypt.CompareHashAndPassword(dummyHash(), []byte(pin))
			refusal = errBadCredentials
			return nil
		}
		now := c.instant()
		if until, locked, err := c.lockedUntil(tx, a.ID, now); err != nil {
			return err
		} else if locked {
			refusal = regie.Errorf(regie.ELockedOut,
				"Compte bloqué après %d codes erronés : réessayez après %s ou demandez au régisseur.",
				c.lockAfter, until.In(c.loc).Format("15h04"))
			return c.logAttempt(tx, a, false, now)
		}
		ok := bcrypt.CompareHashAndPassword([]byte(a.PINHash), []byte(pin)) == nil
		if !ok {
			refusal = errBadCredentials
		} else {
			auth = &Auth{agent: *a}
			auth.agent.PINHash = ""
		}
		return c.logAttempt(tx, a, ok, now)
	})
	if err != nil {
		return nil, fmt.Errorf("app: login: %w", err)
	}
	if refusal != nil {
		return nil, refusal
	}
	return auth, nil
}

// Approve asks a régisseur or suppléant for their PIN to allow what the
// logged-in agent may not do alone (a cancellation, a credit).
func (c *Counter) Approve(ctx context.Context, login, pin string) (*Auth, error) {
	a, err := c.Login(ctx, login, pin)
	if err != nil {
		return nil, err
	}
	if !a.agent.Role.CanSupervise() {
		return nil, regie.Errorf(regie.EForbidden, "%s n'est ni régisseur ni suppléant : son code ne peut pas valider cette opération.", a.agent.Name)
	}
	return a, nil
}

func (c *Counter) lockedUntil(tx Tx, agentID string, now time.Time) (time.Time, bool, error) {
	recent, err := tx.RecentLogins(agentID, c.lockAfter)
	if err != nil || len(recent) < c.lockAfter {
		return time.Time{}, false, err
	}
	for _, l := range recent {
		if l.Success {
			return time.Time{}, false, nil
		}
	}
	// The lock runs from the newest failure: attempts made while locked
	// are journaled as failures and so extend it.
	until := recent[0].At.Add(c.lockFor)
	return until, now.Before(until), nil
}

func (c *Counter) logAttempt(tx Tx, a *regie.Agent, ok bool, at time.Time) error {
	l := &regie.Login{ID: c.newID(), Agent: a.ID, Success: ok, At: at}
	_, err := c.record(tx, regie.KindLogin, l.ID, a.ID, at, l)
	return err
}

// supervisor returns who vouches for a supervised act: the agent when a
// régisseur or suppléant, else the approver, who must be one.
func supervisor(auth, approver *Auth, what string) (*regie.Agent, error) {
	if auth == nil {
		return nil, errors.New("app: no agent logged in")
	}
	if auth.agent.Role.CanSupervise() {
		return &auth.agent, nil
	}
	if approver != nil && approver.agent.Role.CanSupervise() {
		return &approver.agent, nil
	}
	return nil, regie.Errorf(regie.EForbidden, "%s doit être validé(e) par le régisseur ou son suppléant.", what)
}
