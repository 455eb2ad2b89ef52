package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/sync/protocol"
)

// A pull cursor is "STOREID:REV": the revision up to which the counter has
// everything, from this database. A cursor from another database (the
// server's file was replaced) starts over from the beginning.
func (t *Tx) parseCursor(cursor string) (rev int64, reset bool, err error) {
	if cursor == "" {
		return 0, false, nil
	}
	id, n, ok := strings.Cut(cursor, ":")
	rev, perr := strconv.ParseInt(n, 10, 64)
	if !ok || perr != nil || rev < 0 || id == "" {
		return 0, false, regie.Errorf(regie.EInvalid, "Curseur de synchronisation illisible : « %s ».", cursor)
	}
	if id != t.storeID {
		return 0, true, nil
	}
	return rev, false, nil
}

// Pull gives one page of what changed for a counter since its cursor: at
// most limit rows among households, the régie's invoices and tariffs, plus
// the régie's settings, the counter and the agents when any of them changed.
// Every row written gets its own revision, so a page ends exactly at a
// revision and the next one starts right after it. An invoice's household
// comes with it even when its own revision falls in a later page, since the
// counter cannot store an invoice without its household.
func (t *Tx) Pull(c *Counter, cursor string, limit int) (*protocol.PullResponse, error) {
	from, reset, err := t.parseCursor(cursor)
	if err != nil {
		return nil, err
	}
	var head, settingsRev int64
	if err := t.queryRow(`SELECT rev FROM meta WHERE id = 1`).Scan(&head); err != nil {
		return nil, wrap("pull", err)
	}
	if err := t.queryRow(`SELECT max(r) FROM (SELECT rev AS r FROM regies WHERE code = ?1
		UNION ALL SELECT rev FROM counters WHERE id = ?2
		UNION ALL SELECT coalesce(max(rev), 0) FROM agents WHERE regie = ?1) x`, c.Regie, c.ID).Scan(&settingsRev); err != nil {
		return nil, wrap("pull", err)
	}
	// Households are the organisation's: a counter of one city never
	// receives another's.
	org, err := t.RegieOrg(c.Regie)
	if err != nil {
		return nil, err
	}
	upper, more := head, false
	var next int64
	// The page ends before the (limit+1)th revision to send. Each table
	// gives at most limit+1 of its own, in order, from its index: without
	// that bound PostgreSQL read and sorted every row left to pull for
	// each page (a first pull of 100 000 rows sorted 100 000, 95 000, …);
	// with it, it merges the indexes and stops, as SQLite does.
	err = t.queryRow(`SELECT rev FROM (
		SELECT rev FROM (SELECT rev FROM households WHERE org = ?5 AND rev > ?1 ORDER BY rev LIMIT ?4 + 1) h
		UNION ALL SELECT rev FROM (SELECT rev FROM invoices WHERE regie = ?2 AND rev > ?1 ORDER BY rev LIMIT ?4 + 1) i
		UNION ALL SELECT rev FROM (SELECT rev FROM items WHERE regie = ?2 AND rev > ?1 ORDER BY rev LIMIT ?4 + 1) t
		UNION ALL SELECT ?3 WHERE ?3 > ?1
	) x ORDER BY rev LIMIT 1 OFFSET ?4`, from, c.Regie, settingsRev, limit, org).Scan(&next)
	if err == nil {
		upper, more = next-1, true
	} else if !isNoRows(err) {
		return nil, wrap("pull", err)
	}
	p := &protocol.PullResponse{Cursor: fmt.Sprintf("%s:%d", t.storeID, upper), More: more, Reset: reset}
	if p.AsOfSeq, _, _, err = t.Head(c.ID); err != nil {
		return nil, err
	}
	if settingsRev > from && settingsRev <= upper {
		if err := t.pullSettings(c, p); err != nil {
			return nil, err
		}
	}
	if err := t.pullItems(c, from, upper, p); err != nil {
		return nil, err
	}
	if err := t.pullHouseholds(`SELECT data FROM households WHERE org = ? AND rev > ? AND rev <= ? ORDER BY rev`, p, org, from, upper); err != nil {
		return nil, err
	}
	if err := t.pullInvoices(c, from, upper, p); err != nil {
		return nil, err
	}
	// Households of this page's invoices that will only come in a later page.
	return p, t.pullHouseholds(`SELECT data FROM households WHERE rev > ?3 AND id IN
		(SELECT household_id FROM invoices WHERE regie = ?4 AND rev > ?1 AND rev <= ?2)`, p, from, upper, upper, c.Regie)
}

func (t *Tx) pullSettings(c *Counter, p *protocol.PullResponse) error {
	r, err := t.Regie(c.Regie)
	if err != nil || r == nil {
		return wrap("pull settings", err)
	}
	s := protocol.SettingsToWire(*r)
	w := protocol.CounterToWire(c.Identity())
	p.Settings, p.Counter = &s, &w
	agents, err := t.Agents(c.Regie)
	if err != nil {
		return err
	}
	for _, a := range agents {
		p.Agents = append(p.Agents, protocol.AgentToWire(a))
	}
	return nil
}

func (t *Tx) pullItems(c *Counter, from, upper int64, p *protocol.PullResponse) error {
	rows, err := t.query(`SELECT code, label, category, price, active FROM items
		WHERE regie = ? AND rev > ? AND rev <= ? ORDER BY rev`, c.Regie, from, upper)
	if err != nil {
		return wrap("pull items", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it protocol.Item
		if err := rows.Scan(&it.Code, &it.Label, &it.Category, &it.Price, &it.Active); err != nil {
			return wrap("pull items", err)
		}
		p.Items = append(p.Items, it)
	}
	return wrap("pull items", rows.Err())
}

func (t *Tx) pullHouseholds(q string, p *protocol.PullResponse, args ...any) error {
	rows, err := t.query(q, args...)
	if err != nil {
		return wrap("pull households", err)
	}
	defer rows.Close()
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return wrap("pull households", err)
		}
		var h protocol.Household
		if err := json.Unmarshal(data, &h); err != nil {
			return wrap("pull households", err)
		}
		p.Households = append(p.Households, h)
	}
	return wrap("pull households", rows.Err())
}

func (t *Tx) pullInvoices(c *Counter, from, upper int64, p *protocol.PullResponse) error {
	rows, err := t.query(`SELECT data, amount, paid FROM invoices WHERE regie = ? AND rev > ? AND rev <= ? ORDER BY rev`,
		c.Regie, from, upper)
	if err != nil {
		return wrap("pull invoices", err)
	}
	defer rows.Close()
	for rows.Next() {
		var data []byte
		var amount, paid int64
		if err := rows.Scan(&data, &amount, &paid); err != nil {
			return wrap("pull invoices", err)
		}
		var inv protocol.Invoice
		if err := json.Unmarshal(data, &inv); err != nil {
			return wrap("pull invoices", err)
		}
		inv.Amount, inv.Remaining = amount, max(amount-paid, 0)
		p.Invoices = append(p.Invoices, inv)
	}
	return wrap("pull invoices", rows.Err())
}
