package store

import "context"

// Tenancy is the organisation of a régie, its address ("" when unset) and
// the number of organisations on the server: the Publik API lets a caller
// bound to no organisation call a régie only when there is one, and
// prints the organisation's address on receipts.
func (ps *PublikStore) Tenancy(ctx context.Context, regieCode string) (org, host string, orgs int, err error) {
	err = ps.s.View(ctx, func(t *Tx) error {
		return t.queryRow(`SELECT coalesce(r.org, ''), coalesce(o.host, ''), (SELECT count(*) FROM organisations)
			FROM (SELECT 1 AS one) x LEFT JOIN regies r ON r.code = ? LEFT JOIN organisations o ON o.code = r.org`, regieCode).
			Scan(&org, &host, &orgs)
	})
	return org, host, orgs, wrap("publik tenancy", err)
}
