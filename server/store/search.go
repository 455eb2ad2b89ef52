package store

import (
	"context"
	"encoding/base64"
	"sort"
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// PaymentFilter is a search of the payments every counter pushed. Empty
// fields filter nothing. Which régies may be searched is not part of it:
// every search takes the visitor's list of régies apart (scope), so that a
// filter can only narrow what the caller may see.
type PaymentFilter struct {
	// From and To bound the payment's day (the régie's local day, as the
	// counter recorded it), both included: "YYYY-MM-DD".
	From, To string
	Regie    string
	Counter  string // a counter's code (within Regie, or any régie)
	Agent    string // the agent's id, as the journal names them
	Mode     regie.PaymentMode
	// Name is searched in the households' names: each word given starts a
	// word of the name, case, accents and hyphens aside ("lef" finds
	// "Famille Lefèvre").
	Name    string
	Account string // a household's account, exactly
	Receipt string // a receipt number, exactly
	Invoice string // an invoice number the payment settled, exactly
	// Amount, when set, is the payment's total in cents, exactly.
	Amount *regie.Money
	// Cancelled: "" any, "oui" cancelled only, "non" not cancelled.
	Cancelled string
}

// The values of PaymentFilter.Cancelled.
const (
	CancelledOnly = "oui"
	CancelledNot  = "non"
)

// PaymentRow is one payment as a search lists it.
type PaymentRow struct {
	ID, Receipt, Regie, Counter, Day string
	At                               time.Time
	Agent, AgentName                 string
	HouseholdID, Account, Payer      string
	// HouseholdName is the household's name as the imports hold it now
	// ("" for a sale to no household).
	HouseholdName string
	Total         regie.Money
	Modes         []regie.PaymentMode
	Invoices      []string // the numbers of the invoices it settled
	Cancelled     bool
	CancelReason  string
}

// PaymentPage is one page of a search, newest first.
type PaymentPage struct {
	Rows []PaymentRow
	// Next is the cursor of the page after this one, "" on the last.
	Next string
}

// MaxPageSize bounds a page.
const MaxPageSize = 500

// SearchPayments gives the page of payments after cursor ("" for the
// first) matching f among the régies of scope, newest first (instant, then
// id). An empty scope finds nothing.
func (s *Store) SearchPayments(ctx context.Context, scope []string, f PaymentFilter, cursor string, limit int) (*PaymentPage, error) {
	var out *PaymentPage
	err := s.View(ctx, func(t *Tx) (err error) {
		out, err = t.SearchPayments(scope, f, cursor, limit)
		return err
	})
	return out, err
}

// SearchPayments is the search in a transaction of the caller's.
//
// It runs once per régie of the scope, each time walking one index that
// starts with the régie (or starting from what selects few rows: a
// receipt, an invoice, a household) with a LIMIT, and merges the pages:
// each part costs a few index probes whatever the size of the other
// régies, and a régie outside the scope is never read.
func (t *Tx) SearchPayments(scope []string, f PaymentFilter, cursor string, limit int) (*PaymentPage, error) {
	if limit <= 0 || limit > MaxPageSize {
		limit = MaxPageSize
	}
	q, err := buildSearch(f)
	if err != nil {
		return nil, err
	}
	var after *searchKey
	if cursor != "" {
		if after, err = parseCursor(cursor); err != nil {
			return nil, err
		}
	}
	regies := q.regies(scope)
	if err := t.planNames(q, len(regies), limit); err != nil {
		return nil, err
	}
	var rows []PaymentRow
	for _, part := range q.parts(regies) {
		part, err := t.searchPart(q, part, after, limit+1)
		if err != nil {
			return nil, err
		}
		rows = append(rows, part...)
	}
	sort.Slice(rows, func(i, j int) bool { return newer(&rows[i], &rows[j]) })
	page := &PaymentPage{Rows: rows}
	if len(rows) > limit {
		page.Rows = rows[:limit]
		last := &page.Rows[limit-1]
		page.Next = searchKey{at: dbTime(last.At), id: last.ID}.String()
	}
	if err := t.fillInvoices(page.Rows); err != nil {
		return nil, err
	}
	return page, nil
}

func newer(a, b *PaymentRow) bool {
	if !a.At.Equal(b.At) {
		return a.At.After(b.At)
	}
	return a.ID > b.ID
}

// CountPayments counts the payments matching f in scope, up to ceiling: a
// search's result count, "more than ceiling" when it returns more.
func (t *Tx) CountPayments(scope []string, f PaymentFilter, ceiling int) (int, error) {
	q, err := buildSearch(f)
	if err != nil {
		return 0, err
	}
	regies := q.regies(scope)
	if err := t.planNames(q, len(regies), ceiling); err != nil {
		return 0, err
	}
	n := 0
	for _, part := range q.parts(regies) {
		sqlText, args := q.sql(part, nil, ceiling+1-n, "1")
		var c int
		if err := t.queryRow(`SELECT count(*) FROM (`+sqlText+`)`, args...).Scan(&c); err != nil {
			return 0, wrap("count payments", err)
		}
		if n += c; n > ceiling {
			break
		}
	}
	return n, nil
}

// searchKey is where a page ends: the last row's instant and id.
type searchKey struct{ at, id string }

// String is the cursor as pages carry it in their links.
func (k searchKey) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(k.at + "|" + k.id))
}

// parseCursor reads a cursor of searchKey.String.
func parseCursor(s string) (*searchKey, error) {
	bad := regie.Errorf(regie.EInvalid, "Le lien de la page suivante est abîmé : refaites la recherche.")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(s) > 400 {
		return nil, bad
	}
	at, id, ok := strings.Cut(string(raw), "|")
	if !ok || id == "" {
		return nil, bad
	}
	if _, err := time.Parse(regie.TimeFormat, at); err != nil || len(at) != len(regie.TimeFormat) {
		return nil, bad
	}
	return &searchKey{at: at, id: id}, nil
}

// searchPart is one part of a page: one régie's, or all of them at once
// (search.parts).
func (t *Tx) searchPart(q *search, regies []string, after *searchKey, limit int) ([]PaymentRow, error) {
	cols := `p.id, p.receipt, p.regie, p.counter, p.day, p.at, p.agent, coalesce(a.name, ''), p.household_id, p.account,
		p.payer, coalesce(h.name, ''), p.total, coalesce(m.modes, 0), coalesce(c.reason, ''), c.id IS NOT NULL`
	inner, args := q.sql(regies, after, limit, "p.id")
	sqlText := `SELECT ` + cols + ` FROM (` + inner + `) s CROSS JOIN payments p ON p.id = s.id
		LEFT JOIN payment_modes m ON m.payment_id = p.id
		LEFT JOIN cancellations c ON c.payment_id = p.id
		LEFT JOIN households h ON h.id = p.household_id
		LEFT JOIN agents a ON a.id = p.agent
		ORDER BY p.at DESC, p.id DESC`
	var out []PaymentRow
	err := t.each(sqlText, args, func(sc scanner) error {
		var x PaymentRow
		var at string
		var total, modes int64
		if err := sc.Scan(&x.ID, &x.Receipt, &x.Regie, &x.Counter, &x.Day, &at, &x.Agent, &x.AgentName, &x.HouseholdID,
			&x.Account, &x.Payer, &x.HouseholdName, &total, &modes, &x.CancelReason, &x.Cancelled); err != nil {
			return err
		}
		x.At, x.Total, x.Modes = parseDBTime(at), regie.Money(total), modesList(modes)
		out = append(out, x)
		return nil
	})
	return out, wrap("search payments", err)
}

// modesList are the modes of a payment_modes mask, in regie.Modes order.
func modesList(mask int64) []regie.PaymentMode {
	var out []regie.PaymentMode
	for _, m := range regie.Modes {
		if mask&modeBits[m] != 0 {
			out = append(out, m)
		}
	}
	return out
}

// fillInvoices adds the invoice numbers each row settled, in one query.
func (t *Tx) fillInvoices(rows []PaymentRow) error {
	if len(rows) == 0 {
		return nil
	}
	index := make(map[string]int, len(rows))
	args := make([]any, len(rows))
	for i := range rows {
		index[rows[i].ID], args[i] = i, rows[i].ID
	}
	q := `SELECT payment_id, invoice_number FROM allocations WHERE invoice_number <> '' AND payment_id IN (` +
		placeholders(len(rows)) + `) ORDER BY payment_id, idx`
	err := t.each(q, args, func(sc scanner) error {
		var id, number string
		if err := sc.Scan(&id, &number); err != nil {
			return err
		}
		r := &rows[index[id]]
		r.Invoices = append(r.Invoices, number)
		return nil
	})
	return wrap("search invoices", err)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// checkDay refuses what is not a date YYYY-MM-DD.
func checkDay(label, day string) error {
	if day == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return regie.Errorf(regie.EInvalid, "%s : « %s » n'est pas une date.", label, day)
	}
	return nil
}

// dayBounds widens a range of local days to instants that hold them in
// any time zone, so that the index on instants bounds the walk; the days
// themselves are then compared exactly.
func dayBounds(from, to string) (lo, hi string) {
	if from != "" {
		d, _ := time.Parse(time.DateOnly, from)
		lo = dbTime(d.AddDate(0, 0, -2))
	}
	if to != "" {
		d, _ := time.Parse(time.DateOnly, to)
		hi = dbTime(d.AddDate(0, 0, 3))
	}
	return lo, hi
}
