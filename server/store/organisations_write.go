package store

import "github.com/regie-fr/regie"

// The checks below say in French what the triggers of migration 0016
// refuse anyway: a régie, household, invoice or staff account never moves
// to another organisation, whichever path writes it.

// regieOrgFor is the organisation a régie is saved in: the one named (or
// the only one) when it is created, its own when it is changed.
func (t *Tx) regieOrgFor(org, code string, create bool) (string, error) {
	if create {
		return t.orgOr(org)
	}
	cur, err := t.RegieOrg(code)
	if err != nil {
		return "", err
	}
	if org != "" && org != cur {
		return "", regie.Errorf(regie.EConflict, "La régie %s est d'une autre organisation.", code)
	}
	return cur, nil
}

// householdOrgFor is the organisation a household is written in; the id of
// another organisation's household is refused (ids come from each city's
// software and must be unique on the server).
func (t *Tx) householdOrgFor(org, id string) (string, error) {
	org, err := t.orgOr(org)
	if err != nil {
		return "", err
	}
	cur, err := t.HouseholdOrg(id)
	if err != nil {
		return "", err
	}
	if cur != "" && cur != org {
		return "", regie.Errorf(regie.EConflict, "L'identifiant de foyer %s est déjà celui d'un foyer d'une autre organisation.", id)
	}
	return org, nil
}

// invoiceOrgFixed refuses to write, for a régie, the id of another
// organisation's invoice.
func (t *Tx) invoiceOrgFixed(regieCode, id string) error {
	var cur string
	err := t.queryRow(`SELECT r.org FROM invoices i JOIN regies r ON r.code = i.regie WHERE i.id = ?`, id).Scan(&cur)
	if notFound(err) {
		return nil
	} else if err != nil {
		return wrap("invoice organisation", err)
	}
	org, err := t.RegieOrg(regieCode)
	if err != nil {
		return err
	}
	if org != cur {
		return regie.Errorf(regie.EConflict, "L'identifiant de facture %s est déjà celui d'une facture d'une autre organisation.", id)
	}
	return nil
}

// staffOrg sets an account's organisation when it is created (the one
// named, or the only one) and refuses to change it afterwards.
func (t *Tx) staffOrg(s *Staff) error {
	var cur string
	err := t.queryRow(`SELECT org FROM staff WHERE id = ?`, s.ID).Scan(&cur)
	switch {
	case notFound(err):
		s.Org, err = t.orgOr(s.Org)
		return err
	case err != nil:
		return wrap("staff organisation", err)
	case s.Org != "" && s.Org != cur:
		return regie.Errorf(regie.EConflict, "Un compte reste dans son organisation.")
	}
	s.Org = cur
	return nil
}

// OrgOr is the organisation named, checked, or when none is named the
// server's only one (regie.EInvalid when it has several).
func (t *Tx) OrgOr(code string) (string, error) { return t.orgOr(code) }

// InvoiceOrg is the organisation of an invoice (its régie's); "" when the
// invoice is unknown.
func (t *Tx) InvoiceOrg(id string) (string, error) {
	var org string
	err := t.queryRow(`SELECT r.org FROM invoices i JOIN regies r ON r.code = i.regie WHERE i.id = ?`, id).Scan(&org)
	if notFound(err) {
		return "", nil
	}
	return org, wrap("invoice organisation", err)
}

// exportOrg is the organisation an export is of: the one named, else the
// régie's, else the server's only one.
func (t *Tx) exportOrg(org, regieCode string) (string, error) {
	if org == "" && regieCode != "" {
		o, err := t.RegieOrg(regieCode)
		if err != nil {
			return "", err
		}
		org = o
	}
	return t.orgOr(org)
}
