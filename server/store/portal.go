package store

import (
	"context"
	"database/sql"
	"encoding/json"
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
		ps.stmts, _ = portalReads.Prepare(context.Background(), ps.s.r)
	})
	return ps.s.View(ctx, func(t *Tx) error {
		t.b = sqlitedb.Bind(t.ctx, t.tx, ps.stmts)
		return fn(t)
	})
}

var qLinkedHouseholds = portalRead(`SELECT h.id, h.account, h.name, l.linked_at FROM portal_links l
	JOIN households h ON h.id = l.household_id
	WHERE l.subject = ? AND l.unlinked_at IS NULL ORDER BY h.name, h.account`)

// LinkedHouseholds lists the households an identity is linked to, by name.
func (ps *PortalStore) LinkedHouseholds(ctx context.Context, subject string) ([]portal.Household, error) {
	var out []portal.Household
	err := ps.view(ctx, func(t *Tx) error {
		rows, err := t.query(qLinkedHouseholds, subject)
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

// LinkFailures counts failed link attempts since a time, of an identity
// and from a client.
func (ps *PortalStore) LinkFailures(ctx context.Context, subject, client string, since time.Time) (bySubject, byClient int, err error) {
	err = ps.s.View(ctx, func(t *Tx) error {
		from := dbTime(since)
		if err := t.queryRow(`SELECT count(*) FROM portal_link_failures WHERE subject = ? AND at >= ?`, subject, from).
			Scan(&bySubject); err != nil {
			return err
		}
		return t.queryRow(`SELECT count(*) FROM portal_link_failures WHERE client = ? AND at >= ?`, client, from).Scan(&byClient)
	})
	return bySubject, byClient, wrap("portal link failures", err)
}

// Link links an identity to the household with the access code when the
// second factor matches; a mismatch is recorded (and committed) as a
// failure and returns regie.EBadCredentials.
func (ps *PortalStore) Link(ctx context.Context, req portal.LinkRequest) (*portal.Household, error) {
	var found *portal.Household
	err := ps.s.Update(ctx, func(t *Tx) error {
		h, err := t.matchHousehold(req)
		if err != nil {
			return err
		}
		at := dbTime(req.At)
		if h == nil {
			if err := t.exec(`DELETE FROM portal_link_failures WHERE at < ?`, dbTime(req.At.Add(-24*time.Hour))); err != nil {
				return err
			}
			return t.exec(`INSERT INTO portal_link_failures (subject, client, at) VALUES (?, ?, ?)`, req.Subject, req.Client, at)
		}
		var n int
		if err := t.queryRow(`SELECT count(*) FROM portal_links WHERE subject = ? AND household_id = ? AND unlinked_at IS NULL`,
			req.Subject, h.ID).Scan(&n); err != nil {
			return err
		}
		h.LinkedAt = req.At
		if n == 0 {
			if err := t.exec(`INSERT INTO portal_links (subject, household_id, linked_at) VALUES (?, ?, ?)`,
				req.Subject, h.ID, at); err != nil {
				return err
			}
		}
		found = h
		return nil
	})
	if err != nil {
		return nil, wrap("portal link", err)
	}
	if found == nil {
		return nil, regie.Errorf(regie.EBadCredentials, "Ces informations ne correspondent à aucun foyer.")
	}
	return found, nil
}

// matchHousehold finds the household whose access code and second factor
// (every one given) match; nil when none does.
func (t *Tx) matchHousehold(req portal.LinkRequest) (*portal.Household, error) {
	rows, err := t.query(`SELECT id, account, name, data FROM households WHERE json_extract(data, '$.access_code') = ?`, req.AccessCode)
	if err != nil {
		return nil, err
	}
	type cand struct {
		h    portal.Household
		data string
	}
	var cands []cand
	for rows.Next() {
		var c cand
		if err := rows.Scan(&c.h.ID, &c.h.Account, &c.h.Name, &c.data); err != nil {
			rows.Close()
			return nil, err
		}
		cands = append(cands, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, c := range cands {
		ok := req.InvoiceNumber != "" || req.BirthDate != ""
		if req.InvoiceNumber != "" {
			var n int
			if err := t.queryRow(`SELECT count(*) FROM invoices WHERE household_id = ? AND upper(number) = ?`,
				c.h.ID, req.InvoiceNumber).Scan(&n); err != nil {
				return nil, err
			}
			ok = ok && n > 0
		}
		if req.BirthDate != "" {
			var h regie.Household
			if err := json.Unmarshal([]byte(c.data), &h); err != nil {
				return nil, err
			}
			holder := false
			for _, m := range h.Members {
				holder = holder || m.Holder && m.BirthDate == req.BirthDate
			}
			ok = ok && holder
		}
		if ok {
			h := c.h
			return &h, nil
		}
	}
	return nil, nil
}

// Unlink ends an identity's link to a household.
func (ps *PortalStore) Unlink(ctx context.Context, subject, householdID string, at time.Time) error {
	return ps.s.Update(ctx, func(t *Tx) error {
		res, err := t.tx.ExecContext(t.ctx, `UPDATE portal_links SET unlinked_at = ?
			WHERE subject = ? AND household_id = ? AND unlinked_at IS NULL`, dbTime(at), subject, householdID)
		if err != nil {
			return wrap("portal unlink", err)
		}
		if n, err := res.RowsAffected(); err != nil {
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
