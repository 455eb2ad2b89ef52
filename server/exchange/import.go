package exchange

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// Summary says what an import brought.
type Summary struct {
	Households int
	Members    int
	Invoices   int
}

// Import reads files (households, members, invoices; CSV or JSON), checks
// them whole against each other and against the database, and upserts
// everything by external id in one transaction. Importing the same files
// again changes nothing. Any bad line refuses the whole import with a
// *Refused listing every problem; nothing is written then.
func Import(ctx context.Context, st *store.Store, files []File) (*Summary, error) {
	return ImportIn(ctx, st, "", files)
}

// ImportIn is Import into an organisation: the one of the régies the
// invoices name, which must be org when org is given; with no invoice, org
// or the server's only organisation. Households are written in it, checked
// against its own accounts; a batch naming régies of two organisations is
// refused whole.
func ImportIn(ctx context.Context, st *store.Store, org string, files []File) (*Summary, error) {
	var b batch
	ps := &problems{}
	for _, f := range files {
		format := strings.ToLower(f.Format)
		if format == "" {
			format = strings.TrimPrefix(strings.ToLower(filepath.Ext(f.Name)), ".")
		}
		switch format {
		case "csv", "txt":
			readCSV(f, &b, ps)
		case "json":
			readJSON(f, &b, ps)
		default:
			ps.add(f.Name, 0, "format inconnu « %s » (csv ou json)", format)
		}
	}
	sum := &Summary{Households: len(b.households), Members: len(b.members), Invoices: len(b.invoices)}
	err := st.Update(ctx, func(tx *store.Tx) error {
		org, err := importOrg(tx, org, &b, ps)
		if err != nil {
			return err
		} else if org == "" { // no organisation to check the rest against
			return ps.err()
		}
		households, err := check(tx, org, &b, ps)
		if err != nil {
			return err
		}
		if err := ps.err(); err != nil {
			return err
		}
		for _, h := range households {
			if err := tx.UpsertHouseholdIn(org, h); err != nil {
				return err
			}
		}
		for _, r := range b.invoices {
			if err := tx.UpsertInvoice(r.regie, &r.inv); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

// where names the line a record came from, for "already at…" messages.
func where(file string, line int) string { return fmt.Sprintf("%s ligne %d", file, line) }

// check validates the batch against itself and the database and returns
// the households to write, members merged in. Problems go to ps.
func check(tx *store.Tx, org string, b *batch, ps *problems) ([]*regie.Household, error) {
	dbHouseholds, err := tx.HouseholdKeys(org)
	if err != nil {
		return nil, err
	}
	if err := foreignIDs(tx, org, b, ps); err != nil {
		return nil, err
	}
	dbInvoices, err := tx.InvoiceKeys(org)
	if err != nil {
		return nil, err
	}
	// Households: one record per id, one id per account.
	byID := map[string]*householdRec{}
	accountAt := map[string]*householdRec{}
	var order []string
	for i := range b.households {
		r := &b.households[i]
		if prev := byID[r.h.ID]; prev != nil {
			ps.add(r.file, r.line, "foyer %s en double (déjà %s)", r.h.ID, where(prev.file, prev.line))
			continue
		}
		if prev := accountAt[r.h.Account]; prev != nil {
			ps.add(r.file, r.line, "compte %s déjà donné au foyer %s (%s)", r.h.Account, prev.h.ID, where(prev.file, prev.line))
			continue
		}
		byID[r.h.ID], accountAt[r.h.Account] = r, r
		order = append(order, r.h.ID)
	}
	accountOwner := invert(dbHouseholds)
	for acc, r := range accountAt {
		if id, ok := accountOwner[acc]; ok && id != r.h.ID {
			ps.add(r.file, r.line, "compte %s déjà attribué au foyer %s", acc, id)
		}
	}
	known := func(id string) bool { _, inDB := dbHouseholds[id]; return byID[id] != nil || inDB }
	// Members replace the list of the households they name.
	members := map[string][]regie.Member{}
	for _, m := range b.members {
		if !known(m.household) {
			ps.add(m.file, m.line, "foyer inconnu : %s (ni dans l'import, ni sur le serveur)", m.household)
			continue
		}
		members[m.household] = append(members[m.household], m.m)
	}
	var out []*regie.Household
	done := map[string]bool{}
	for _, id := range order {
		r := byID[id]
		h := r.h
		if ms, ok := members[id]; ok {
			h.Members = ms
		} else if !r.withMembers {
			if old, err := tx.Household(id); err != nil {
				return nil, err
			} else if old != nil {
				h.Members = old.Members
			}
		}
		out, done[id] = append(out, &h), true
	}
	for id, ms := range members {
		if !done[id] && byID[id] == nil {
			old, err := tx.Household(id)
			if err != nil || old == nil {
				return nil, err
			}
			old.Members = ms
			out = append(out, old)
		}
	}
	// Invoices: a known household and régie, one record per id, numbers unique.
	regies := map[string]bool{}
	numberAt := map[string]*invoiceRec{}
	seen := map[string]*invoiceRec{}
	for _, r := range b.invoices {
		if _, ok := regies[r.regie]; !ok {
			rg, err := tx.Regie(r.regie)
			if err != nil {
				return nil, err
			}
			regies[r.regie] = rg != nil
		}
		if !regies[r.regie] {
			ps.add(r.file, r.line, "régie inconnue : %s", r.regie)
		}
		if !known(r.inv.HouseholdID) {
			ps.add(r.file, r.line, "foyer inconnu : %s (ni dans l'import, ni sur le serveur)", r.inv.HouseholdID)
		}
		if prev := seen[r.inv.ID]; prev != nil {
			ps.add(r.file, r.line, "facture %s en double (déjà %s)", r.inv.ID, where(prev.file, prev.line))
			continue
		}
		seen[r.inv.ID] = r
		// Numbers are unique within a régie (each régie's software
		// numbers its own).
		key := store.InvoiceKey(r.regie, r.inv.Number)
		if prev := numberAt[key]; prev != nil {
			ps.add(r.file, r.line, "numéro de facture %s en double dans la régie %s (déjà %s, facture %s)", r.inv.Number, r.regie, where(prev.file, prev.line), prev.inv.ID)
			continue
		}
		numberAt[key] = r
	}
	numberOwner := invert(dbInvoices)
	for key, r := range numberAt {
		if id, ok := numberOwner[key]; ok && id != r.inv.ID {
			ps.add(r.file, r.line, "numéro de facture %s déjà attribué à la facture %s de la régie %s sur le serveur", r.inv.Number, id, r.regie)
		}
	}
	return out, nil
}

// invert maps values to keys: account number → household id.
func invert(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}
