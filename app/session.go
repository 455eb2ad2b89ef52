package app

import (
	"context"
	"fmt"

	"github.com/regie-fr/regie"
)

// OpenSession opens the till for today with the float counted, by
// denomination (count) or as a total when count is empty. A day has one
// session; yesterday's must be closed first.
func (c *Counter) OpenSession(ctx context.Context, auth *Auth, count regie.CashCount, total regie.Money) (*regie.TillSession, error) {
	if err := count.Validate(); err != nil {
		return nil, err
	}
	if len(count) > 0 {
		total = count.Total()
	}
	if total < 0 {
		return nil, regie.Errorf(regie.EInvalidAmount, "Le fonds de caisse ne peut pas être négatif.")
	}
	if err := c.CheckFile(ctx); err != nil {
		return nil, err
	}
	var s *regie.TillSession
	err := c.store.Update(ctx, func(tx Tx) error {
		ident, err := tx.Identity()
		if err != nil {
			return err
		}
		now := c.instant()
		today := c.day(now)
		last, closed, err := tx.LastSession()
		if err != nil {
			return err
		}
		if last != nil && !closed {
			if last.Day == today {
				return regie.Errorf(regie.ESessionOpen, "La caisse est déjà ouverte.")
			}
			return regie.Errorf(regie.ESessionOpen, "La caisse du %s n'a pas été clôturée : faites d'abord son arrêté.", frenchDate(last.Day))
		}
		if last != nil && last.Day >= today {
			return regie.Errorf(regie.EDayClosed, "La journée du %s est déjà clôturée : plus aucune opération n'est possible aujourd'hui.", frenchDate(today))
		}
		s = &regie.TillSession{ID: c.newID(), Counter: ident.Code, Agent: auth.agent.ID, OpenedAt: now,
			Day: today, Count: count.Normalized(), Float: total}
		_, err = c.record(tx, regie.KindSessionOpen, s.ID, auth.agent.ID, now, s)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app: open session: %w", err)
	}
	return s, nil
}

// openSession is the session payments go into: open, of today. It says in
// French why there is none.
func (c *Counter) openSession(tx Tx, today string) (*regie.TillSession, error) {
	last, closed, err := tx.LastSession()
	if err != nil {
		return nil, err
	}
	switch {
	case last == nil:
		return nil, regie.Errorf(regie.ENoSession, "La caisse n'est pas ouverte : ouvrez-la avec le fonds de caisse.")
	case last.Day == today && closed:
		return nil, regie.Errorf(regie.EDayClosed, "La journée du %s est clôturée : plus aucun encaissement n'est possible aujourd'hui.", frenchDate(today))
	case closed:
		return nil, regie.Errorf(regie.ENoSession, "La caisse n'est pas ouverte : ouvrez-la avec le fonds de caisse.")
	case last.Day != today:
		return nil, regie.Errorf(regie.ENoSession, "La caisse du %s n'a pas été clôturée : faites son arrêté avant d'encaisser.", frenchDate(last.Day))
	}
	return last, nil
}
