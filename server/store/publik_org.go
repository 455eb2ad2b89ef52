package store

import "context"

// Tenancy is the organisation of a régie and the number of organisations
// on the server: the Publik API lets a caller bound to no organisation
// call a régie only when there is one.
func (ps *PublikStore) Tenancy(ctx context.Context, regieCode string) (org string, orgs int, err error) {
	err = ps.s.View(ctx, func(t *Tx) error {
		return t.queryRow(`SELECT coalesce((SELECT org FROM regies WHERE code = ?), ''), (SELECT count(*) FROM organisations)`, regieCode).
			Scan(&org, &orgs)
	})
	return org, orgs, wrap("publik tenancy", err)
}
