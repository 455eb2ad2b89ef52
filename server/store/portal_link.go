package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/portal"
)

// errNoMatch ends a linking attempt that matched nothing: the failure is
// recorded and the transaction committed.
var errNoMatch = errors.New("no match")

// Link links an identity to a household in one immediate transaction:
// failures are counted, the attempt made and a failure recorded under the
// same write lock, so concurrent attempts by one identity cannot together
// try more than its limit (SQLite has one writer, and every instance of
// the server writes to the same file).
func (ps *PortalStore) Link(ctx context.Context, req portal.LinkRequest) (*portal.Household, error) {
	var found *portal.Household
	locked := false
	err := ps.s.Update(ctx, func(t *Tx) error {
		from := dbTime(req.Since)
		var bySubject, byClient int
		if err := t.queryRow(`SELECT count(*) FROM portal_link_failures WHERE subject = ? AND at >= ?`, req.Subject, from).
			Scan(&bySubject); err != nil {
			return err
		}
		if req.LimitClient > 0 {
			if err := t.queryRow(`SELECT count(*) FROM portal_link_failures WHERE client = ? AND at >= ?`, req.Client, from).
				Scan(&byClient); err != nil {
				return err
			}
		}
		if bySubject >= req.LimitIdentity || req.LimitClient > 0 && byClient >= req.LimitClient {
			locked = true
			return nil
		}
		h, via, slipID, err := t.linkTarget(req)
		if errors.Is(err, errNoMatch) {
			if err := t.exec(`DELETE FROM portal_link_failures WHERE at < ?`, dbTime(req.At.Add(-24*time.Hour))); err != nil {
				return err
			}
			return t.exec(`INSERT INTO portal_link_failures (subject, client, at) VALUES (?, ?, ?)`, req.Subject, req.Client, dbTime(req.At))
		} else if err != nil {
			return err
		}
		if err := t.addLink(req, h, via, slipID); err != nil {
			return err
		}
		found = h
		return nil
	})
	switch {
	case err != nil:
		return nil, wrap("portal link", err)
	case locked:
		return nil, regie.Errorf(regie.ELockedOut, "Trop d'essais infructueux : réessayez dans une heure.")
	case found == nil:
		return nil, regie.Errorf(regie.EBadCredentials, "Ces informations ne correspondent à aucun foyer.")
	}
	return found, nil
}

// linkTarget finds the household the attempt links: by slip, or by access
// code and identity. errNoMatch when nothing matches.
func (t *Tx) linkTarget(req portal.LinkRequest) (h *portal.Household, via, slipID string, err error) {
	if req.SlipCode != "" {
		h, slipID, err = t.useSlip(req)
		return h, "slip", slipID, err
	}
	h, err = t.matchHolder(req)
	return h, "identity", "", err
}

// useSlip finds the unused, unexpired slip with the code and records its
// use; errNoMatch otherwise.
func (t *Tx) useSlip(req portal.LinkRequest) (*portal.Household, string, error) {
	code := credential.NormalizeEnrolCode(req.SlipCode)
	if code == "" {
		return nil, "", errNoMatch
	}
	var h portal.Household
	var slipID string
	err := t.queryRow(`SELECT s.id, h.id, h.account, h.name FROM portal_link_slips s JOIN households h ON h.id = s.household_id
		WHERE s.code_hash = ? AND s.expires_at > ? AND h.org = ?
		AND NOT EXISTS (SELECT 1 FROM portal_link_slip_uses u WHERE u.slip_id = s.id)`,
		credential.Hash(code), dbTime(req.At), req.Org).Scan(&slipID, &h.ID, &h.Account, &h.Name)
	if notFound(err) {
		return nil, "", errNoMatch
	} else if err != nil {
		return nil, "", err
	}
	if err := t.exec(`INSERT INTO portal_link_slip_uses (slip_id, subject, at) VALUES (?, ?, ?)`,
		slipID, req.Subject, dbTime(req.At)); err != nil {
		return nil, "", err
	}
	return &h, slipID, nil
}

// matchHolder finds the household with the access code of which the
// identity is an adult member: same family name (folded: no case, accents,
// hyphens or extra spaces) and same birth date, 18 or more on req.Day.
func (t *Tx) matchHolder(req portal.LinkRequest) (*portal.Household, error) {
	if req.AccessCode == "" || !regie.AdultOn(req.BirthDate, req.Day) {
		return nil, errNoMatch
	}
	rows, err := t.query(`SELECT id, account, name, data FROM households WHERE json_extract(data, '$.access_code') = ? AND org = ?`,
		req.AccessCode, req.Org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var h portal.Household
		var data string
		if err := rows.Scan(&h.ID, &h.Account, &h.Name, &data); err != nil {
			return nil, err
		}
		var full regie.Household
		if err := json.Unmarshal([]byte(data), &full); err != nil {
			return nil, err
		}
		for _, m := range full.Members {
			if m.BirthDate == req.BirthDate && regie.SameName(m.LastName, req.FamilyName) {
				return &h, nil
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return nil, errNoMatch
}

// addLink records the link unless the identity is already linked, and
// marks the household seen by it now (its own link is no news to it).
func (t *Tx) addLink(req portal.LinkRequest, h *portal.Household, via, slipID string) error {
	at := dbTime(req.At)
	var n int
	if err := t.queryRow(`SELECT count(*) FROM portal_links WHERE subject = ? AND household_id = ? AND unlinked_at IS NULL`,
		req.Subject, h.ID).Scan(&n); err != nil {
		return err
	}
	h.LinkedAt = req.At
	if n == 0 {
		var slip any
		if slipID != "" {
			slip = slipID
		}
		if err := t.exec(`INSERT INTO portal_links (subject, household_id, linked_at, via, name, slip_id) VALUES (?, ?, ?, ?, ?, ?)`,
			req.Subject, h.ID, at, via, req.Name, slip); err != nil {
			return err
		}
	}
	return t.exec(`INSERT INTO portal_seen (subject, household_id, seen_at) VALUES (?, ?, ?)
		ON CONFLICT (subject, household_id) DO UPDATE SET seen_at = excluded.seen_at`, req.Subject, h.ID, at)
}
