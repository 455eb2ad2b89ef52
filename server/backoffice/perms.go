package backoffice

import (
	"slices"

	"github.com/regie-fr/regie/server/store"
)

// Perm is what a role allows on a régie.
type Perm int

const (
	// PermView: a régie's journal, payments, households as payers, closings.
	PermView Perm = iota + 1
	// PermExport: CSV and PDF downloads of what PermView shows.
	PermExport
	// PermAct: what the régisseur and the suppléant do on their régie
	// (a procès-verbal, a comment on a difference).
	PermAct
	// PermOps: the dashboard's figures and states, without citizen data.
	PermOps
	// PermAdmin: régies, counters, agents, tariffs, back-office accounts.
	PermAdmin
	// PermAudit: the audit trail.
	PermAudit
)

// rolePerms is the authorisation matrix: what each role may do on the
// régies it is granted. The administrator manages everything but sees no
// citizen data beyond what administration needs.
var rolePerms = map[string][]Perm{
	store.RoleRegisseur: {PermView, PermExport, PermAct, PermOps},
	store.RoleSuppleant: {PermView, PermExport, PermAct, PermOps},
	store.RoleFinance:   {PermView, PermExport, PermOps},
	store.RoleAdmin:     {PermOps, PermAdmin, PermAudit},
}

// RoleLabels are the roles as people name them.
var RoleLabels = map[string]string{
	store.RoleRegisseur: "Régisseur titulaire",
	store.RoleSuppleant: "Mandataire suppléant",
	store.RoleFinance:   "Service des finances",
	store.RoleAdmin:     "Administrateur",
}

// Can tells whether the visitor has p on the régie.
func (v *visit) Can(p Perm, regieCode string) bool {
	if v == nil || v.staff == nil {
		return false
	}
	// A grant on every régie is on every régie of the organisation.
	if regieCode != "" && !slices.Contains(v.allRegies, regieCode) {
		return false
	}
	for _, g := range v.staff.Grants {
		if (g.Regie == "" || g.Regie == regieCode) && slices.Contains(rolePerms[g.Role], p) {
			return true
		}
	}
	return false
}

// Regies lists the régies on which the visitor has p, sorted: every store
// query of the back-office is given this list, so what a visitor may not
// see is never read in the first place.
func (v *visit) Regies(p Perm) []string {
	out := []string{}
	if v == nil || v.staff == nil {
		return out
	}
	for _, r := range v.allRegies {
		if v.Can(p, r) {
			out = append(out, r)
		}
	}
	return out
}

// CanAny tells whether the visitor has p on at least one régie (or
// globally, for the administrator's permissions).
func (v *visit) CanAny(p Perm) bool {
	if v == nil || v.staff == nil {
		return false
	}
	for _, g := range v.staff.Grants {
		if slices.Contains(rolePerms[g.Role], p) {
			return true
		}
	}
	return false
}
