package exchange

import (
	"sort"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// importOrg is the organisation a batch goes into: the one of the régies
// its invoices name (all of one organisation, and org's when org is
// given), else org, else the server's only one. A batch naming régies of
// two organisations is a problem of the whole import.
func importOrg(tx *store.Tx, org string, b *batch, ps *problems) (string, error) {
	byOrg := map[string][]string{}
	seen := map[string]bool{}
	file := ""
	for _, r := range b.invoices {
		if seen[r.regie] {
			continue
		}
		seen[r.regie] = true
		o, err := tx.RegieOrg(r.regie)
		if err != nil {
			return "", err
		}
		if o != "" { // an unknown régie is check's to report
			byOrg[o] = append(byOrg[o], r.regie)
			file = r.file
		}
	}
	var orgs []string
	for o := range byOrg {
		orgs = append(orgs, o)
	}
	sort.Strings(orgs)
	switch {
	case len(orgs) > 1:
		var parts []string
		for _, o := range orgs {
			sort.Strings(byOrg[o])
			parts = append(parts, o+" : "+strings.Join(byOrg[o], ", "))
		}
		ps.add(file, 0, "les factures nomment des régies de plusieurs organisations (%s) : importez les fichiers de chaque organisation à part", strings.Join(parts, " ; "))
		return "", nil
	case len(orgs) == 1 && org != "" && orgs[0] != org:
		ps.add(file, 0, "les régies des factures (%s) sont de l'organisation %s, pas de %s", strings.Join(byOrg[orgs[0]], ", "), orgs[0], org)
		return "", nil
	case len(orgs) == 1:
		return orgs[0], nil
	}
	o, err := tx.OrgOr(org)
	if re, ok := err.(*regie.Error); ok {
		ps.add(firstFile(b), 0, "%s", strings.TrimSuffix(re.Message, "."))
		return "", nil
	}
	return o, err
}

// foreignIDs reports the households and invoices of the batch whose ids
// are another organisation's: ids come from each city's software, and a
// household or invoice never moves to another city.
func foreignIDs(tx *store.Tx, org string, b *batch, ps *problems) error {
	for _, r := range b.households {
		o, err := tx.HouseholdOrg(r.h.ID)
		if err != nil {
			return err
		}
		if o != "" && o != org {
			ps.add(r.file, r.line, "l'identifiant de foyer %s est déjà celui d'un foyer d'une autre organisation", r.h.ID)
		}
	}
	for _, r := range b.invoices {
		o, err := tx.InvoiceOrg(r.inv.ID)
		if err != nil {
			return err
		}
		if o != "" && o != org {
			ps.add(r.file, r.line, "l'identifiant de facture %s est déjà celui d'une facture d'une autre organisation", r.inv.ID)
		}
	}
	return nil
}

// firstFile names the batch's first file, for a problem of the whole.
func firstFile(b *batch) string {
	switch {
	case len(b.households) > 0:
		return b.households[0].file
	case len(b.members) > 0:
		return b.members[0].file
	}
	return ""
}
