package store

import (
	"context"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/portal"
)

// HouseholdLinks lists who is linked to a household now.
func (ps *PortalStore) HouseholdLinks(ctx context.Context, householdID string) ([]portal.LinkedPerson, error) {
	var out []portal.LinkedPerson
	err := ps.s.View(ctx, func(t *Tx) (err error) {
		out, err = t.HouseholdLinks(householdID)
		return err
	})
	return out, wrap("portal household links", err)
}

// HouseholdLinks lists the live links to a household, first linked first.
func (t *Tx) HouseholdLinks(householdID string) ([]portal.LinkedPerson, error) {
	return t.linkedPeople(`SELECT l.subject, h.id, h.name, l.name, l.linked_at FROM portal_links l
		JOIN households h ON h.id = l.household_id
		WHERE l.household_id = ? AND l.unlinked_at IS NULL ORDER BY l.linked_at, l.id`, householdID)
}

func (t *Tx) linkedPeople(q string, args ...any) ([]portal.LinkedPerson, error) {
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []portal.LinkedPerson
	for rows.Next() {
		var p portal.LinkedPerson
		var at string
		if err := rows.Scan(&p.Subject, &p.HouseholdID, &p.Household, &p.Name, &at); err != nil {
			return nil, err
		}
		p.LinkedAt = parseDBTime(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// Visit returns the links others made to the identity's households since
// it last visited them (or since its own link), and records this visit.
func (ps *PortalStore) Visit(ctx context.Context, org, subject string, at time.Time) ([]portal.LinkedPerson, error) {
	var out []portal.LinkedPerson
	err := ps.s.Update(ctx, func(t *Tx) (err error) {
		out, err = t.linkedPeople(`SELECT o.subject, h.id, h.name, o.name, o.linked_at FROM portal_links mine
			JOIN portal_links o ON o.household_id = mine.household_id AND o.subject <> mine.subject AND o.unlinked_at IS NULL
			JOIN households h ON h.id = mine.household_id
			LEFT JOIN portal_seen s ON s.subject = mine.subject AND s.household_id = mine.household_id
			WHERE h.org = ? AND mine.subject = ? AND mine.unlinked_at IS NULL AND o.linked_at > coalesce(s.seen_at, mine.linked_at)
			ORDER BY h.name, o.linked_at`, org, subject)
		if err != nil {
			return err
		}
		return t.exec(`INSERT INTO portal_seen (subject, household_id, seen_at)
			SELECT subject, household_id, ? FROM portal_links WHERE subject = ? AND unlinked_at IS NULL
			AND household_id IN (SELECT id FROM households WHERE org = ?)
			ON CONFLICT (subject, household_id) DO UPDATE SET seen_at = excluded.seen_at`, dbTime(at), subject, org)
	})
	return out, wrap("portal visit", err)
}

// UnlinkBy ends links to the household with the account, as the régisseur
// decides: the identity's (subject) or those whose name, as the provider
// gave it, is name (compared folded). It returns the links ended;
// regie.EHouseholdNotFound when the account is unknown, regie.ENotFound
// when no live link matches.
func (t *Tx) UnlinkBy(org, account, subject, name, by string, at time.Time) ([]portal.LinkedPerson, error) {
	all, err := t.LinksOfAccount(org, account)
	if err != nil {
		return nil, err
	}
	var ended []portal.LinkedPerson
	for _, l := range all {
		if subject != "" && l.Subject != subject || name != "" && !regie.SameName(l.Name, name) {
			continue
		}
		if err := t.exec(`UPDATE portal_links SET unlinked_at = ?, unlinked_by = ?
			WHERE subject = ? AND household_id = ? AND unlinked_at IS NULL`, dbTime(at), by, l.Subject, l.HouseholdID); err != nil {
			return nil, wrap("unlink", err)
		}
		ended = append(ended, l)
	}
	if len(ended) == 0 {
		return nil, regie.Errorf(regie.ENotFound, "Personne de ce nom ou de cet identifiant n'est liée au foyer %s.", account)
	}
	return ended, nil
}

// LinksOfAccount lists who is linked to the household with the account in
// an organisation ("": the server's only one); regie.EHouseholdNotFound
// when the account is unknown there.
func (t *Tx) LinksOfAccount(org, account string) ([]portal.LinkedPerson, error) {
	org, err := t.orgOr(org)
	if err != nil {
		return nil, err
	}
	var id string
	if err := t.queryRow(`SELECT id FROM households WHERE org = ? AND account = ?`, org, account).Scan(&id); notFound(err) {
		return nil, regie.Errorf(regie.EHouseholdNotFound, "Aucun foyer n'a le compte %s.", account)
	} else if err != nil {
		return nil, wrap("links", err)
	}
	return t.HouseholdLinks(id)
}
