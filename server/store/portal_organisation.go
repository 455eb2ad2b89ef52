package store

import (
	"context"

	"github.com/regie-fr/regie/server/portal"
)

// OrganisationForHost is the organisation whose portal answers on host
// (see Store.OrganisationForHost), as the portal shows it.
func (ps *PortalStore) OrganisationForHost(ctx context.Context, host string) (*portal.Organisation, error) {
	var out *portal.Organisation
	err := ps.view(ctx, func(t *Tx) error {
		o, err := t.OrganisationForHost(host)
		if o != nil {
			out = &portal.Organisation{Code: o.Code, Name: o.Name, Host: o.Host,
				Color: o.Look.Color, Header: o.Look.Header, Logo: o.Look.Logo}
		}
		return err
	})
	return out, wrap("portal organisation", err)
}
