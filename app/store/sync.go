package store

import (
	"encoding/json"

	"github.com/regie-fr/regie"
)

// SyncState is the last journal entry the server acknowledged and the pull
// cursor: where the sync loop resumes after a restart.
func (t *Tx) SyncState() (acked int64, cursor string, err error) {
	err = t.queryRow(qSyncState).Scan(&acked, &cursor)
	return acked, cursor, wrap("sync state", err)
}

// nowUTC is SQLite's clock in the journal's time format: the last sync is
// bookkeeping for people, stamped where it is written.
const nowUTC = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`

var qSyncState = hot(`SELECT acked_seq, cursor FROM sync_state WHERE id = 1`)

// SetAcked records the last entry the server acknowledged.
func (t *Tx) SetAcked(seq int64) error {
	return wrap("set acked", t.exec(`UPDATE sync_state SET acked_seq = ?, last_sync = `+nowUTC+` WHERE id = 1`, seq))
}

// SetCursor records the pull cursor after a page was applied.
func (t *Tx) SetCursor(cursor string) error {
	return wrap("set cursor", t.exec(`UPDATE sync_state SET cursor = ?, last_sync = `+nowUTC+` WHERE id = 1`, cursor))
}

// Enrolment is the server's address and this counter's credential, empty
// before enrolment.
func (t *Tx) Enrolment() (server, credential string, err error) {
	err = t.queryRow(`SELECT server, credential FROM sync_state WHERE id = 1`).Scan(&server, &credential)
	return server, credential, wrap("enrolment", err)
}

// SaveEnrolment records the credential a server gave this counter. A new
// server or a new credential starts the pull over; what was acknowledged
// is asked again at the next push.
func (t *Tx) SaveEnrolment(server, credential string) error {
	return wrap("save enrolment", t.exec(`UPDATE sync_state SET
		cursor = CASE WHEN server = ?1 THEN cursor ELSE '' END,
		acked_seq = CASE WHEN server = ?1 THEN acked_seq ELSE 0 END,
		server = ?1, credential = ?2 WHERE id = 1`, server, credential))
}

// SaveReference stores a page of reference data pulled from the server,
// as SaveHousehold, SaveInvoice and SaveItem do, but with each statement
// prepared once for the page: a new counter's first pull brings tens of
// thousands of rows, and parsing the SQL again for each one cost more than
// writing it.
func (t *Tx) SaveReference(hs []regie.Household, invs []regie.Invoice, items []regie.CatalogueItem, asOfSeq int64) error {
	if len(hs) > 0 {
		st, err := t.tx.PrepareContext(t.ctx, `INSERT INTO households (id, account, name, search, data) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET account = excluded.account, name = excluded.name,
			search = excluded.search, data = excluded.data`)
		if err != nil {
			return wrap("save reference", err)
		}
		defer st.Close()
		for i := range hs {
			h := &hs[i]
			data, err := json.Marshal(h)
			if err != nil {
				return wrap("save reference", err)
			}
			search := Fold(h.Name + " " + h.Account)
			for _, m := range h.Members {
				search += " " + Fold(m.FirstName+" "+m.LastName)
			}
			if _, err := st.ExecContext(t.ctx, h.ID, h.Account, h.Name, search, string(data)); err != nil {
				return wrap("save household "+h.ID, err)
			}
		}
	}
	if len(invs) > 0 {
		st, err := t.tx.PrepareContext(t.ctx, `INSERT INTO invoices (id, number, household_id, label, amount, remaining, as_of_seq, due_on, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET number = excluded.number, household_id = excluded.household_id,
			label = excluded.label, amount = excluded.amount, remaining = excluded.remaining,
			as_of_seq = excluded.as_of_seq, due_on = excluded.due_on, data = excluded.data`)
		if err != nil {
			return wrap("save reference", err)
		}
		defer st.Close()
		for i := range invs {
			inv := &invs[i]
			data, err := json.Marshal(inv)
			if err != nil {
				return wrap("save reference", err)
			}
			if _, err := st.ExecContext(t.ctx, inv.ID, inv.Number, inv.HouseholdID, inv.Label, int64(inv.Amount),
				int64(inv.Remaining), asOfSeq, inv.DueOn, string(data)); err != nil {
				return wrap("save invoice "+inv.ID, err)
			}
		}
	}
	for i := range items {
		if err := t.SaveItem(&items[i]); err != nil {
			return err
		}
	}
	return nil
}
