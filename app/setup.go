package app

import (
	"context"
	"fmt"

	"github.com/regie-fr/regie"
)

// Configure binds the counter file to a counter of a régie and applies the
// régie's settings and agents, journaling the change. The sync client calls
// it after each pull that brings new settings; the demo calls it once.
func (c *Counter) Configure(ctx context.Context, counter regie.Counter, settings regie.Regie, agents []regie.Agent) error {
	if err := settings.Validate(); err != nil {
		return err
	}
	if counter.Regie != settings.Code {
		return regie.Errorf(regie.EInvalid, "Le poste %s n'appartient pas à la régie %s.", counter.Code, settings.Code)
	}
	err := c.store.Update(ctx, func(tx Tx) error {
		c.conf.Store(nil)
		if err := tx.SaveIdentity(&counter); err != nil {
			return err
		}
		if err := tx.SaveSettings(&settings); err != nil {
			return err
		}
		change := &regie.SettingsChange{ID: c.newID(), Settings: settings, At: c.instant()}
		for _, a := range agents {
			if err := tx.SaveAgent(&a); err != nil {
				return err
			}
			a.PINHash = "" // the journal says who may log in, never their secret
			change.Agents = append(change.Agents, a)
		}
		_, err := c.record(tx, regie.KindSettings, change.ID, "", change.At, change)
		return err
	})
	c.conf.Store(nil) // even on failure: the transaction may have read them
	if err != nil {
		return fmt.Errorf("app: configure: %w", err)
	}
	return nil
}

// Reference is the data a counter needs to work offline, as pulled from the
// server.
type Reference struct {
	Households []regie.Household
	Invoices   []regie.Invoice
	Items      []regie.CatalogueItem
	// AsOfSeq is the last entry of this counter that the server had applied
	// when it computed the invoices' remaining amounts.
	AsOfSeq int64
}

// LoadReference stores reference data in one transaction: all of it or
// nothing.
func (c *Counter) LoadReference(ctx context.Context, ref Reference) error {
	err := c.store.Update(ctx, func(tx Tx) error {
		for i := range ref.Households {
			if err := tx.SaveHousehold(&ref.Households[i]); err != nil {
				return err
			}
		}
		for i := range ref.Invoices {
			if err := tx.SaveInvoice(&ref.Invoices[i], ref.AsOfSeq); err != nil {
				return err
			}
		}
		for i := range ref.Items {
			if err := tx.SaveItem(&ref.Items[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("app: load reference: %w", err)
	}
	return nil
}
