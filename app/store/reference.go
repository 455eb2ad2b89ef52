package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/regie-fr/regie"
)

// Identity is which counter of which régie this file belongs to.
func (t *Tx) Identity() (*regie.Counter, error) {
	var c regie.Counter
	err := t.queryRow(qIdentity).Scan(&c.Regie, &c.Code, &c.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, regie.Errorf(regie.ENotConfigured, "Ce poste n'est pas encore rattaché à une régie.")
	}
	return &c, wrap("identity", err)
}

// SaveIdentity binds the file to a counter, once: a counter file never
// changes counter, or its receipt numbers would collide.
func (t *Tx) SaveIdentity(c *regie.Counter) error {
	old, err := t.Identity()
	if err == nil {
		if old.Code != c.Code || old.Regie != c.Regie {
			return regie.Errorf(regie.EConflict, "Ce fichier appartient déjà au poste %s de la régie %s.", old.Code, old.Regie)
		}
		return wrap("save identity", t.exec(`UPDATE identity SET name = ? WHERE id = 1`, c.Name))
	}
	return wrap("save identity", t.exec(`INSERT INTO identity (id, regie, counter, name) VALUES (1, ?, ?, ?)`, c.Regie, c.Code, c.Name))
}

// Settings is the cached régie settings.
func (t *Tx) Settings() (*regie.Regie, error) {
	var r regie.Regie
	ok, err := t.decodeAt(qSettings, &r)
	if err != nil {
		return nil, wrap("settings", err)
	} else if !ok {
		return nil, regie.Errorf(regie.ENotConfigured, "Les paramètres de la régie n'ont pas encore été reçus du serveur.")
	}
	return &r, nil
}

// SaveSettings replaces the cached régie settings.
func (t *Tx) SaveSettings(r *regie.Regie) error {
	data, err := json.Marshal(r)
	if err != nil {
		return wrap("save settings", err)
	}
	return wrap("save settings", t.exec(`INSERT INTO settings (id, data) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET data = excluded.data`, string(data)))
}

// SaveAgent inserts or replaces an agent.
func (t *Tx) SaveAgent(a *regie.Agent) error {
	return wrap("save agent", t.exec(`INSERT INTO agents (id, login, name, role, pin_hash, active) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET login = excluded.login, name = excluded.name, role = excluded.role,
		pin_hash = excluded.pin_hash, active = excluded.active`,
		a.ID, a.Login, a.Name, string(a.Role), a.PINHash, a.Active))
}

func (t *Tx) agentWhere(where string, arg any) (*regie.Agent, error) {
	var a regie.Agent
	var role string
	err := t.queryRow(`SELECT id, login, name, role, pin_hash, active FROM agents WHERE `+where, arg).
		Scan(&a.ID, &a.Login, &a.Name, &role, &a.PINHash, &a.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("agent", err)
	}
	a.Role = regie.Role(role)
	return &a, nil
}

// AgentByLogin finds an agent by login; nil when unknown.
func (t *Tx) AgentByLogin(login string) (*regie.Agent, error) {
	return t.agentWhere("login = ?", login)
}

// Agent finds an agent by id; nil when unknown.
func (t *Tx) Agent(id string) (*regie.Agent, error) { return t.agentWhere("id = ?", id) }

// Agents lists the active agents by name, for the login screen.
func (t *Tx) Agents() ([]regie.Agent, error) {
	rows, err := t.query(`SELECT id, login, name, role FROM agents WHERE active ORDER BY name`)
	if err != nil {
		return nil, wrap("agents", err)
	}
	defer rows.Close()
	var out []regie.Agent
	for rows.Next() {
		a := regie.Agent{Active: true}
		var role string
		if err := rows.Scan(&a.ID, &a.Login, &a.Name, &role); err != nil {
			return nil, wrap("agents", err)
		}
		a.Role = regie.Role(role)
		out = append(out, a)
	}
	return out, wrap("agents", rows.Err())
}

// SaveHousehold inserts or replaces a household.
func (t *Tx) SaveHousehold(h *regie.Household) error {
	data, err := json.Marshal(h)
	if err != nil {
		return wrap("save household", err)
	}
	search := Fold(h.Name + " " + h.Account)
	for _, m := range h.Members {
		search += " " + Fold(m.FirstName+" "+m.LastName)
	}
	return wrap("save household", t.exec(`INSERT INTO households (id, account, name, search, data) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET account = excluded.account, name = excluded.name,
		search = excluded.search, data = excluded.data`, h.ID, h.Account, h.Name, search, string(data)))
}

// Household finds a household by id; nil when unknown.
func (t *Tx) Household(id string) (*regie.Household, error) {
	var h regie.Household
	ok, err := t.decodeAt(qHousehold, &h, id)
	if err != nil || !ok {
		return nil, wrap("household", err)
	}
	return &h, nil
}

// SaveInvoice inserts or replaces an invoice; asOfSeq is the last entry of
// this counter the server had applied when it computed Remaining.
func (t *Tx) SaveInvoice(inv *regie.Invoice, asOfSeq int64) error {
	data, err := json.Marshal(inv)
	if err != nil {
		return wrap("save invoice", err)
	}
	return wrap("save invoice", t.exec(`INSERT INTO invoices (id, number, household_id, label, amount, remaining, as_of_seq, due_on, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET number = excluded.number, household_id = excluded.household_id,
		label = excluded.label, amount = excluded.amount, remaining = excluded.remaining,
		as_of_seq = excluded.as_of_seq, due_on = excluded.due_on, data = excluded.data`,
		inv.ID, inv.Number, inv.HouseholdID, inv.Label, int64(inv.Amount), int64(inv.Remaining), asOfSeq, inv.DueOn, string(data)))
}

// localPaid is what this counter cashed on an invoice that the server did
// not know of when it computed the invoice's remaining amount.
const localPaid = `(SELECT coalesce(sum(a.amount - a.credit), 0) FROM allocations a JOIN payments p ON p.id = a.payment_id
	WHERE a.invoice_id = i.id AND p.seq > i.as_of_seq
	  AND NOT EXISTS (SELECT 1 FROM cancellations c WHERE c.payment_id = p.id))
	- (SELECT coalesce(sum(a.amount - a.credit), 0) FROM allocations a JOIN payments p ON p.id = a.payment_id
	JOIN cancellations c ON c.payment_id = p.id
	WHERE a.invoice_id = i.id AND p.seq <= i.as_of_seq AND c.seq > i.as_of_seq)`

const invoiceCols = `SELECT i.data, max(i.remaining - (` + localPaid + `), 0) FROM invoices i WHERE `

var (
	qIdentity  = hot(`SELECT regie, counter, name FROM identity WHERE id = 1`)
	qSettings  = hot(`SELECT data FROM settings WHERE id = 1`)
	qHousehold = hot(`SELECT data FROM households WHERE id = ?`)
	qItem      = hot(`SELECT code, label, category, price, active FROM catalogue WHERE code = ?`)
	qInvoice   = hot(`SELECT i.number, i.household_id, i.label, i.amount, max(i.remaining - (` + localPaid + `), 0), i.due_on
		FROM invoices i WHERE i.id = ?`)
	qHouseholdRef = hot(`SELECT account, name FROM households WHERE id = ?`)
)

// invoices runs q, a query starting with invoiceCols.
func (t *Tx) invoices(q string, args ...any) ([]regie.Invoice, error) {
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, wrap("invoices", err)
	}
	defer rows.Close()
	var out []regie.Invoice
	for rows.Next() {
		var data string
		var remaining int64
		var inv regie.Invoice
		if err := rows.Scan(&data, &remaining); err != nil {
			return nil, wrap("invoices", err)
		}
		if err := json.Unmarshal([]byte(data), &inv); err != nil {
			return nil, wrap("invoices", err)
		}
		inv.Remaining = regie.Money(remaining)
		out = append(out, inv)
	}
	return out, wrap("invoices", rows.Err())
}

// Invoice finds an invoice by id with its remaining amount as this counter
// knows it, without its lines (what cashing it needs); nil when unknown.
func (t *Tx) Invoice(id string) (*regie.Invoice, error) {
	inv := regie.Invoice{ID: id}
	var amount, remaining int64
	err := t.queryRow(qInvoice, id).Scan(&inv.Number, &inv.HouseholdID, &inv.Label, &amount, &remaining, &inv.DueOn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("invoice", err)
	}
	inv.Amount, inv.Remaining = regie.Money(amount), regie.Money(remaining)
	return &inv, nil
}

// HouseholdRef finds a household's id, account number and name, without
// its members; nil when unknown.
func (t *Tx) HouseholdRef(id string) (*regie.Household, error) {
	h := regie.Household{ID: id}
	err := t.queryRow(qHouseholdRef, id).Scan(&h.Account, &h.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &h, wrap("household", err)
}

// OpenInvoices lists a household's invoices still to pay, oldest due first.
func (t *Tx) OpenInvoices(householdID string) ([]regie.Invoice, error) {
	all, err := t.invoices(invoiceCols+"i.household_id = ? ORDER BY i.due_on, i.number", householdID)
	var open []regie.Invoice
	for _, inv := range all {
		if inv.Remaining > 0 {
			open = append(open, inv)
		}
	}
	return open, err
}

// SaveItem inserts or replaces a catalogue item.
func (t *Tx) SaveItem(it *regie.CatalogueItem) error {
	return wrap("save item", t.exec(`INSERT INTO catalogue (code, label, category, price, active) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET label = excluded.label, category = excluded.category,
		price = excluded.price, active = excluded.active`, it.Code, it.Label, it.Category, int64(it.Price), it.Active))
}

// Item finds a catalogue item by code; nil when unknown.
func (t *Tx) Item(code string) (*regie.CatalogueItem, error) {
	var it regie.CatalogueItem
	var price int64
	err := t.queryRow(qItem, code).
		Scan(&it.Code, &it.Label, &it.Category, &price, &it.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("item", err)
	}
	it.Price = regie.Money(price)
	return &it, nil
}

// Catalogue lists the active items by category and label.
func (t *Tx) Catalogue() ([]regie.CatalogueItem, error) {
	rows, err := t.query(`SELECT code, label, category, price FROM catalogue WHERE active ORDER BY category, label`)
	if err != nil {
		return nil, wrap("catalogue", err)
	}
	defer rows.Close()
	var out []regie.CatalogueItem
	for rows.Next() {
		it := regie.CatalogueItem{Active: true}
		var price int64
		if err := rows.Scan(&it.Code, &it.Label, &it.Category, &price); err != nil {
			return nil, wrap("catalogue", err)
		}
		it.Price = regie.Money(price)
		out = append(out, it)
	}
	return out, wrap("catalogue", rows.Err())
}

// SearchHouseholds finds households whose name, account number, members or
// invoice numbers contain every word of q, accents and case ignored.
func (t *Tx) SearchHouseholds(q string, limit int) ([]regie.Household, error) {
	words := strings.Fields(Fold(q))
	if len(words) == 0 {
		return nil, nil
	}
	where, args := []string{}, []any{}
	for _, w := range words {
		where = append(where, `(h.search LIKE ? ESCAPE '\' OR EXISTS (SELECT 1 FROM invoices i WHERE i.household_id = h.id AND i.number LIKE ? ESCAPE '\'))`)
		like := "%" + escapeLike(w) + "%"
		args = append(args, like, like)
	}
	args = append(args, limit)
	rows, err := t.query(`SELECT h.data FROM households h WHERE `+strings.Join(where, " AND ")+` ORDER BY h.name LIMIT ?`, args...)
	if err != nil {
		return nil, wrap("search households", err)
	}
	defer rows.Close()
	var out []regie.Household
	for rows.Next() {
		var data string
		var h regie.Household
		if err := rows.Scan(&data); err != nil {
			return nil, wrap("search households", err)
		}
		if err := json.Unmarshal([]byte(data), &h); err != nil {
			return nil, fmt.Errorf("store: search households: %w", err)
		}
		out = append(out, h)
	}
	return out, wrap("search households", rows.Err())
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
