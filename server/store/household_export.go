package store

import (
	"encoding/json"
	"time"

	"github.com/regie-fr/regie"
)

// HouseholdData is everything the server holds about one household within
// some régies, for the household's data export (GDPR right of access). Its
// JSON is the export's foyer.json: the field names are documented in
// docs/export-foyer.md and are only ever added to, never renamed.
type HouseholdData struct {
	// Format names this document's layout and version.
	Format     string          `json:"format"`
	ExportedAt time.Time       `json:"exported_at"`
	Regies     []ExportRegie   `json:"regies"`
	Household  ExportHousehold `json:"household"`
	Invoices   []ExportInvoice `json:"invoices"`
	Payments   []ExportPayment `json:"payments"`
	// Credit is the household's trop-perçu in these régies, in cents.
	Credit       regie.Money  `json:"credit"`
	PortalLinks  []ExportLink `json:"portal_links"`
	LinkingSlips []ExportSlip `json:"linking_slips"`
	Note         string       `json:"note"`
	receipts     []paymentRef // the payments, for their receipts
	scope        []string     // the régies exported
}

// HouseholdDataFormat is HouseholdData.Format.
const HouseholdDataFormat = "regie-export-foyer/1"

// ExportRegie is a régie whose data the export holds.
type ExportRegie struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// ExportHousehold is the household as the business software sent it,
// without its portal access code: a credential, not a personal data, and
// one an export must not carry (it is printed on the next invoice).
type ExportHousehold struct {
	ID      string         `json:"id"`
	Account string         `json:"account"`
	Name    string         `json:"name"`
	Address string         `json:"address,omitempty"`
	Members []regie.Member `json:"members"`
}

// ExportInvoice is one of its invoices with what was paid on it.
type ExportInvoice struct {
	Regie     string        `json:"regie"`
	Invoice   regie.Invoice `json:"invoice"`
	Paid      regie.Money   `json:"paid"`
	Remaining regie.Money   `json:"remaining"`
}

// ExportPayment is one of its payments exactly as the counter's journal
// recorded it, its cancellation if any, and the receipt's file in the
// archive.
type ExportPayment struct {
	Payment      regie.Payment       `json:"payment"`
	Cancellation *regie.Cancellation `json:"cancellation,omitempty"`
	ReceiptFile  string              `json:"receipt_file"`
}

// ExportLink is a link of a portal identity to the household: who (the
// name the identity provider gave), when, how, and when it ended.
type ExportLink struct {
	Name       string     `json:"name"`
	Via        string     `json:"via"`
	LinkedAt   time.Time  `json:"linked_at"`
	UnlinkedAt *time.Time `json:"unlinked_at,omitempty"`
	UnlinkedBy string     `json:"unlinked_by,omitempty"`
}

// ExportSlip is a linking slip printed for the household (its code is
// kept only as a hash, and is not exported).
type ExportSlip struct {
	ID        string     `json:"id"`
	Counter   string     `json:"counter,omitempty"`
	Agent     string     `json:"agent"`
	Document  string     `json:"document"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    *time.Time `json:"used_at,omitempty"`
}

type paymentRef struct{ ID, Receipt string }

// ExportReceipts are the ids and receipt numbers of the exported payments.
func (d *HouseholdData) ExportReceipts() (ids, receipts []string) {
	for _, p := range d.receipts {
		ids, receipts = append(ids, p.ID), append(receipts, p.Receipt)
	}
	return ids, receipts
}

// HouseholdData reads a household's data within the régies of scope it is
// known to (by an invoice or a payment); nil when it is known to none of
// them, exactly as an unknown id. Only rows whose household is this one
// are read: what the export holds can name no other household.
func (t *Tx) HouseholdData(scope []string, id string, now time.Time) (*HouseholdData, error) {
	h, m, err := t.HouseholdInScope(scope, id)
	if err != nil || h == nil {
		return nil, err
	}
	d := &HouseholdData{Format: HouseholdDataFormat, ExportedAt: now.UTC().Truncate(time.Second), scope: m.Regies,
		Household: ExportHousehold{ID: h.ID, Account: h.Account, Name: h.Name, Address: h.Address, Members: h.Members},
		Invoices:  []ExportInvoice{}, Payments: []ExportPayment{}, PortalLinks: []ExportLink{}, LinkingSlips: []ExportSlip{},
		Note: "Données du foyer détenues par la régie, limitées aux régies nommées. Montants en centimes d'euro ; instants en UTC."}
	if d.Household.Members == nil {
		d.Household.Members = []regie.Member{}
	}
	for _, code := range m.Regies {
		r, err := t.Regie(code)
		if err != nil {
			return nil, err
		}
		name := code
		if r != nil {
			name = r.Name
		}
		d.Regies = append(d.Regies, ExportRegie{Code: code, Name: name})
		invs, err := t.HouseholdInvoices(code, h.ID)
		if err != nil {
			return nil, err
		}
		for _, inv := range invs {
			d.Invoices = append(d.Invoices, ExportInvoice{Regie: code, Invoice: inv.Invoice, Paid: inv.Paid, Remaining: inv.Remaining})
		}
	}
	if err := t.exportPayments(d, h.ID); err != nil {
		return nil, err
	}
	if err := t.exportLinks(d, h.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// exportPayments reads the household's payments in the exported régies
// from their journal entries, oldest first, with their cancellations.
func (t *Tx) exportPayments(d *HouseholdData, householdID string) error {
	in, args, _ := regieScope("p.regie", d.scope)
	rows, err := t.query(`SELECT j.data, (SELECT cj.data FROM cancellations c
			JOIN journal cj ON cj.counter_id = c.counter_id AND cj.seq = c.seq WHERE c.payment_id = p.id)
		FROM payments p JOIN journal j ON j.counter_id = p.counter_id AND j.seq = p.seq
		WHERE p.household_id = ? AND `+in+` ORDER BY p.at, p.receipt`, append([]any{householdID}, args...)...)
	if err != nil {
		return wrap("export payments", err)
	}
	defer rows.Close()
	for rows.Next() {
		var data string
		var cancel *string
		if err := rows.Scan(&data, &cancel); err != nil {
			return wrap("export payments", err)
		}
		var e ExportPayment
		if err := json.Unmarshal([]byte(data), &e.Payment); err != nil {
			return wrap("export payments", err)
		}
		if cancel != nil {
			e.Cancellation = &regie.Cancellation{}
			if err := json.Unmarshal([]byte(*cancel), e.Cancellation); err != nil {
				return wrap("export payments", err)
			}
		}
		e.ReceiptFile = "recus/" + e.Payment.Receipt + ".pdf"
		d.Payments = append(d.Payments, e)
		d.receipts = append(d.receipts, paymentRef{e.Payment.ID, e.Payment.Receipt})
	}
	if err := rows.Err(); err != nil {
		return wrap("export payments", err)
	}
	var credit int64
	err = t.queryRow(`SELECT coalesce(sum(c.amount), 0) FROM credits c JOIN invoices i ON i.id = c.invoice_id
		WHERE c.household_id = ? AND `+regieIn("i.regie", d.scope), append([]any{householdID}, args...)...).Scan(&credit)
	d.Credit = regie.Money(credit)
	return wrap("export credit", err)
}

// exportLinks reads every portal link to the household, ended ones
// included, and the linking slips printed for it.
func (t *Tx) exportLinks(d *HouseholdData, householdID string) error {
	rows, err := t.query(`SELECT name, via, linked_at, unlinked_at, coalesce(unlinked_by, '') FROM portal_links
		WHERE household_id = ? ORDER BY linked_at, id`, householdID)
	if err != nil {
		return wrap("export links", err)
	}
	for rows.Next() {
		var l ExportLink
		var at string
		var until *string
		if err := rows.Scan(&l.Name, &l.Via, &at, &until, &l.UnlinkedBy); err != nil {
			rows.Close()
			return wrap("export links", err)
		}
		l.LinkedAt = parseDBTime(at)
		if until != nil {
			u := parseDBTime(*until)
			l.UnlinkedAt = &u
		}
		d.PortalLinks = append(d.PortalLinks, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrap("export links", err)
	}
	rows, err = t.query(`SELECT s.id, coalesce(c.code, ''), s.agent, s.document, s.created_at, s.expires_at, u.at
		FROM portal_link_slips s LEFT JOIN counters c ON c.id = s.counter_id
		LEFT JOIN portal_link_slip_uses u ON u.slip_id = s.id
		WHERE s.household_id = ? ORDER BY s.created_at, s.id`, householdID)
	if err != nil {
		return wrap("export slips", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s ExportSlip
		var created, expires string
		var used *string
		if err := rows.Scan(&s.ID, &s.Counter, &s.Agent, &s.Document, &created, &expires, &used); err != nil {
			return wrap("export slips", err)
		}
		s.CreatedAt, s.ExpiresAt = parseDBTime(created), parseDBTime(expires)
		if used != nil {
			u := parseDBTime(*used)
			s.UsedAt = &u
		}
		d.LinkingSlips = append(d.LinkingSlips, s)
	}
	return wrap("export slips", rows.Err())
}

// regieIn is regieScope's condition alone (scope is never empty here).
func regieIn(column string, scope []string) string {
	cond, _, _ := regieScope(column, scope)
	return cond
}
