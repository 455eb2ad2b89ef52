package backoffice

import (
	"encoding/json"

	"github.com/regie-fr/regie/server/store"
)

// audit records an action in the chained audit trail, in the caller's
// transaction: the change and its record are committed together or not at
// all. action is a stable code ("regie.update", "payments.export"); regie
// the régie concerned ("" for none); target what was acted on; detail any
// JSON-able value saying what changed (never a password or a code).
func (b *Backoffice) audit(tx *store.Tx, v *visit, action, regieCode, target string, detail any) error {
	raw, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	org := v.org
	if org == "" {
		org = v.staff.Org
	}
	return tx.AppendAudit(&store.AuditEntry{At: b.cfg.Now(), StaffID: v.staff.ID, Staff: v.staff.Login,
		Action: action, Regie: regieCode, Target: target, Detail: raw, Client: v.client, Org: org})
}
