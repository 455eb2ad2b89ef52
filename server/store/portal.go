package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/regie-fr/regie/internal/sqlitedb"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/portal"
)

// PortalStore is the citizen portal's view of the server's data: every
// read is scoped to one household, which the portal has checked is linked
// to the logged-in identity.
type PortalStore struct {
	s    *Store
	once sync.Once
	// stmts are the queries every page makes, prepared on the read pool
	// (parsing them cost a quarter of a cached page).
	stmts sqlitedb.Prepared
}

var _ portal.Store = (*PortalStore)(nil)

// Portal gives the portal's data access on this store.
func (s *Store) Portal() *PortalStore { return &PortalStore{s: s} }

// portalReads are the queries PortalStore.view prepares.
var portalReads sqlitedb.Hot

func portalRead(q string) string { return portalReads.Add(q) }

// view runs fn in a read transaction whose queries among portalReads run
// prepared on the read pool (parsing them cost a quarter of a cached
// page). When they fail to prepare, they run unprepared and report their
// error there.
func (ps *PortalStore) view(ctx context.Context, fn func(*Tx) error) error {
	ps.once.Do(func() {
		if !ps.s.pg { // pgx keeps its statements prepared by itself
			ps.stmts, _ = portalReads.Prepare(context.Background(), ps.s.r)
		}
	})
	return ps.s.View(ctx, func(t *Tx) error {
		t.b = sqlitedb.Bind(t.ctx, t.tx, ps.stmts)
		return fn(t)
	})
}

var qLinkedHouseholds = portalRead(`SELECT h.id, h.account, h.name, l.linked_at FROM portal_links l
	JOIN households h ON h.id = l.household_id
	WHERE h.org = ? AND l.subject = ? AND l.unlinked_at IS NULL ORDER BY h.name, h.account`)

// LinkedHouseholds lists the households of an organisation an identity is
// linked to, by name.
func (ps *PortalStore) LinkedHouseholds(ctx context.Context, org, subject string) ([]portal.Household, error) {
	var out []portal.Household
	err := ps.view(ctx, func(t *Tx) error {
		rows, err := t.query(qLinkedHouseholds, org, subject)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h portal.Household
			var at string
			if err := rows.Scan(&h.ID, &h.Account, &h.Name, &at); err != nil {
				return err
			}
			h.LinkedAt = parseDBTime(at)
			out = append(out, h)
		}
		return rows.Err()
	})
	return out, wrap("portal linked households", err)
}

// Unlink ends an identity's link to a household of an organisation.
func (ps *PortalStore) Unlink(ctx context.Context, org, subject, householdID string, at time.Time) error {
	return ps.s.Update(ctx, func(t *Tx) error {
		if n, err := t.execCount(`UPDATE portal_links SET unlinked_at = ?, unlinked_by = 'self'
			WHERE subject = ? AND household_id = ? AND unlinked_at IS NULL
			AND household_id IN (SELECT id FROM households WHERE org = ?)`, dbTime(at), subject, householdID, org); err != nil {
			return wrap("portal unlink", err)
		} else if n == 0 {
			return regie.Errorf(regie.EHouseholdNotFound, "Ce foyer n'est pas lié à votre compte.")
		}
		return nil
	})
}

// parseDBTime reads a time the store wrote with dbTime.
func parseDBTime(s string) time.Time {
	t, err := time.Parse(regie.TimeFormat, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}

var qRegieNames = portalRead(`SELECT code, coalesce(json_extract(settings, '$.name'), code),
	coalesce(json_extract(settings, '$.timezone'), '') FROM regies`)

// regieNames maps each régie's code to its name and time zone.
func (t *Tx) regieNames() (map[string][2]string, error) {
	rows, err := t.query(qRegieNames)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][2]string{}
	for rows.Next() {
		var code, name, tz string
		if err := rows.Scan(&code, &name, &tz); err != nil {
			return nil, err
		}
		out[code] = [2]string{name, tz}
	}
	return out, rows.Err()
}

func notFound(err error) bool { return errors.Is(err, sql.ErrNoRows) }
