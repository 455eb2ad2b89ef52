package store

import (
	"context"
	"time"
)

// DefaultRetentionMonths is how long the portal keeps a citizen's account
// data after their last activity when the city sets nothing.
const DefaultRetentionMonths = 24

// failureRetention is how long a failed linking attempt is kept: it only
// serves the rate limits, whose window is an hour (portal.Config), and
// Link already prunes what is older at each new failure.
const failureRetention = 24 * time.Hour

// Retention purges what the citizen portal keeps about citizens once it
// is no longer needed. Only the portal's own records go: links between an
// identity and households, visits, failed linking attempts. Payments,
// cancellations, closings, deposits, every counter's journal and the audit
// trail are the régie's accounts and their pièces justificatives, kept as
// the law requires (ten years at least; the journal is the accounts):
// Purge never touches them, and the triggers that refuse DELETE on them
// stay as they are. Linking slips and their use stay too: they record an
// agent's check of an identity document, with the régie's documents.
type Retention struct {
	s *Store
	// Months without any activity after which an identity's portal account
	// (its links, visits) is purged; a link ended that long ago goes too.
	Months int
}

// Retention gives the purge of portal data older than months (0 or less:
// DefaultRetentionMonths).
func (s *Store) Retention(months int) *Retention {
	if months <= 0 {
		months = DefaultRetentionMonths
	}
	return &Retention{s: s, Months: months}
}

// Purged counts what a purge deleted.
type Purged struct {
	// Accounts are the identities whose last activity (a link made or
	// ended, a visit, a failed attempt) is older than the retention.
	Accounts int `json:"accounts"`
	Links    int `json:"links"`
	Visits   int `json:"visits"`
	Failures int `json:"failures"`
}

// Purge deletes, in one transaction, the portal data of identities
// inactive for Retention.Months before now (every link, live or ended,
// and visit), the links ended before then and their visits, and failed
// linking attempts older than a day. A household whose only linked
// identity is purged is linked again the usual way, with the access code
// or a slip; nothing it paid is lost.
func (r *Retention) Purge(ctx context.Context, now time.Time) (*Purged, error) {
	cutoff := dbTime(now.AddDate(0, -r.Months, 0))
	out := &Purged{}
	err := r.s.Update(ctx, func(t *Tx) error {
		// An identity's last activity, over every record the portal keeps
		// of it.
		if err := t.exec(`CREATE TEMP TABLE IF NOT EXISTS purge_subjects (subject TEXT PRIMARY KEY)`); err != nil {
			return err
		}
		if err := t.exec(`DELETE FROM purge_subjects`); err != nil {
			return err
		}
		if err := t.exec(`INSERT INTO purge_subjects (subject)
			SELECT subject FROM (
				SELECT subject, linked_at AS at FROM portal_links
				UNION ALL SELECT subject, unlinked_at FROM portal_links WHERE unlinked_at IS NOT NULL
				UNION ALL SELECT subject, seen_at FROM portal_seen
				UNION ALL SELECT subject, at FROM portal_link_failures)
			GROUP BY subject HAVING max(at) < ?`, cutoff); err != nil {
			return err
		}
		if err := t.queryRow(`SELECT count(*) FROM purge_subjects`).Scan(&out.Accounts); err != nil {
			return err
		}
		var err error
		if out.Visits, err = t.deleted(`DELETE FROM portal_seen WHERE subject IN (SELECT subject FROM purge_subjects)
			OR NOT EXISTS (SELECT 1 FROM portal_links l WHERE l.subject = portal_seen.subject
				AND l.household_id = portal_seen.household_id AND (l.unlinked_at IS NULL OR l.unlinked_at >= ?))`, cutoff); err != nil {
			return err
		}
		if out.Links, err = t.deleted(`DELETE FROM portal_links WHERE subject IN (SELECT subject FROM purge_subjects)
			OR unlinked_at < ?`, cutoff); err != nil {
			return err
		}
		if out.Failures, err = t.deleted(`DELETE FROM portal_link_failures WHERE at < ?`, dbTime(now.Add(-failureRetention))); err != nil {
			return err
		}
		return t.exec(`DELETE FROM purge_subjects`)
	})
	if err != nil {
		return nil, wrap("purge", err)
	}
	return out, nil
}

// deleted runs a DELETE and says how many rows it removed.
func (t *Tx) deleted(q string, args ...any) (int, error) {
	n, err := t.execCount(q, args...)
	return int(n), err
}
