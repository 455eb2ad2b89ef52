package store

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/regie-fr/regie"
)

// search is a PaymentFilter checked and turned into SQL.
type search struct {
	f      PaymentFilter
	words  []string // Name folded
	lo, hi string   // instants around the days (dayBounds)
	// walkNames: the name matches so many households that walking the
	// régie's payments newest first finds a page sooner than reading all
	// of theirs (planNames).
	walkNames bool
}

// maxWords bounds a name searched: each word is one more index range.
const maxWords = 6

// CheckPaymentFilter tells what is wrong with a filter, in French, before
// anything is read (an export checks it before it starts streaming).
func CheckPaymentFilter(f PaymentFilter) error {
	_, err := buildSearch(f)
	return err
}

// buildSearch checks a filter whole; a French error says what is wrong.
func buildSearch(f PaymentFilter) (*search, error) {
	for _, p := range []*string{&f.From, &f.To, &f.Regie, &f.Counter, &f.Agent, &f.Name, &f.Account, &f.Receipt, &f.Invoice, &f.Cancelled} {
		*p = strings.TrimSpace(*p)
		if len(*p) > 200 || !utf8.ValidString(*p) {
			return nil, regie.Errorf(regie.EInvalid, "Un critère de recherche est trop long ou illisible.")
		}
	}
	f.Receipt = strings.ToUpper(f.Receipt)
	if err := checkDay("Du", f.From); err != nil {
		return nil, err
	}
	if err := checkDay("Au", f.To); err != nil {
		return nil, err
	}
	if f.From != "" && f.To != "" && f.From > f.To {
		return nil, regie.Errorf(regie.EInvalid, "La date de début est après la date de fin.")
	}
	if f.Mode != "" && !f.Mode.Valid() {
		return nil, regie.Errorf(regie.EInvalid, "Mode de paiement inconnu : « %s ».", f.Mode)
	}
	if f.Amount != nil && *f.Amount <= 0 {
		return nil, regie.Errorf(regie.EInvalidAmount, "Le montant recherché doit être positif.")
	}
	switch f.Cancelled {
	case "", CancelledOnly, CancelledNot:
	default:
		return nil, regie.Errorf(regie.EInvalid, "Annulés : choisissez « oui », « non » ou tous.")
	}
	q := &search{f: f}
	if f.Name != "" {
		q.words = nameWords(f.Name)
		if len(q.words) == 0 {
			return nil, regie.Errorf(regie.EInvalid, "Le nom recherché ne contient aucune lettre.")
		}
		if len(q.words) > maxWords {
			return nil, regie.Errorf(regie.EInvalid, "Le nom recherché a trop de mots (%d au plus).", maxWords)
		}
	}
	q.lo, q.hi = dayBounds(f.From, f.To)
	return q, nil
}

// parts groups the régies searched into the queries run: all in one when
// something selective drives the query (a receipt, an invoice, a
// household), one query per régie when its index is walked.
func (q *search) parts(regies []string) [][]string {
	f := &q.f
	if len(regies) == 0 {
		return nil
	}
	if f.Receipt != "" || f.Invoice != "" || f.Account != "" || len(q.words) > 0 && !q.walkNames {
		return [][]string{regies}
	}
	out := make([][]string, len(regies))
	for i, r := range regies {
		out[i] = []string{r}
	}
	return out
}

// regies are the régies to search: the scope, or only the filter's régie
// when the scope has it. Nothing outside the scope is ever searched.
func (q *search) regies(scope []string) []string {
	if q.f.Regie != "" {
		if slices.Contains(scope, q.f.Regie) {
			return []string{q.f.Regie}
		}
		return nil
	}
	out := slices.Clone(scope)
	slices.Sort(out)
	return slices.Compact(out)
}

// words is the households whose name has every word searched as the start
// of one of its words.
func (q *search) wordsSQL(args *[]any) string {
	parts := make([]string, len(q.words))
	for i, w := range q.words {
		parts[i] = `SELECT household_id FROM household_words WHERE word >= ? AND word < ?`
		*args = append(*args, w, w+"\U0010FFFF")
	}
	return strings.Join(parts, " INTERSECT ")
}

// sql is the query of one régie's part: col of the payments matching the
// filter (p the payment), newest first, after the key, at most limit.
//
// What selects fewest rows drives it: a receipt (unique), an invoice, a
// household by account or by name (portal_payments, by household and
// day), read first through CROSS JOIN (SQLite keeps the left side of a
// CROSS JOIN outside) and sorted; otherwise the régie's index on the
// amount or on the instant, walked newest first, and stopped at limit.
func (q *search) sql(regies []string, after *searchKey, limit int, col string) (string, []any) {
	in := `IN (` + placeholders(len(regies)) + `)`
	regieArgs := make([]any, len(regies))
	for i, r := range regies {
		regieArgs[i] = r
	}
	f := &q.f
	var args []any
	var from string
	var where []string
	cond := func(c string, a ...any) {
		where = append(where, c)
		args = append(args, a...)
	}
	days := func(column string) {
		if f.From != "" {
			cond(column+" >= ?", f.From)
		}
		if f.To != "" {
			cond(column+" <= ?", f.To)
		}
	}
	// household drives from portal_payments' index by household and
	// régie: with no filter on what that index lacks, it also gives the
	// order and the page (the payments read are the page's only).
	pure := q.pure()
	household := func(hs string, hargs []any) {
		inner := `SELECT payment_id AS id FROM portal_payments INDEXED BY portal_payments_search
			WHERE household_id IN (` + hs + `) AND regie ` + in
		args = append(args, hargs...)
		args = append(args, regieArgs...)
		if f.From != "" {
			inner += ` AND day >= ?`
			args = append(args, f.From)
		}
		if f.To != "" {
			inner += ` AND day <= ?`
			args = append(args, f.To)
		}
		if pure {
			if after != nil {
				inner += ` AND (at, payment_id) < (?, ?)`
				args = append(args, after.at, after.id)
			}
			inner += ` ORDER BY at DESC, payment_id DESC LIMIT ?`
			args = append(args, limit)
		}
		from = `(` + inner + `) x CROSS JOIN payments p ON p.id = x.id`
	}
	driver := ""
	switch {
	case f.Receipt != "":
		driver, from = "receipt", `(SELECT id FROM payments WHERE receipt = ?) x CROSS JOIN payments p ON p.id = x.id`
		args = append(args, f.Receipt)
	case f.Invoice != "":
		driver = "invoice"
		from = `(SELECT DISTINCT payment_id AS id FROM allocations WHERE invoice_id IN (SELECT id FROM invoices WHERE number = ?)) x
			CROSS JOIN payments p ON p.id = x.id`
		args = append(args, f.Invoice)
	case f.Account != "":
		driver = "household"
		household(`SELECT id FROM households WHERE account = ?`, []any{f.Account})
	case len(q.words) > 0 && !q.walkNames:
		driver = "household"
		var wargs []any
		household(q.wordsSQL(&wargs), wargs)
	case f.Amount != nil:
		driver, from = "amount", `payments p INDEXED BY payments_regie_total`
	default:
		driver, from = "regie", `payments p INDEXED BY payments_regie_at`
	}
	cond("p.regie "+in, regieArgs...)
	if driver == "amount" || driver == "regie" {
		if q.lo != "" {
			cond("p.at >= ?", q.lo)
		}
		if q.hi != "" {
			cond("p.at < ?", q.hi)
		}
	}
	if driver != "household" {
		days("p.day")
	}
	if f.Amount != nil {
		cond("p.total = ?", int64(*f.Amount))
	}
	if f.Receipt != "" && driver != "receipt" {
		cond("p.receipt = ?", f.Receipt)
	}
	if f.Invoice != "" && driver != "invoice" {
		cond(`p.id IN (SELECT payment_id FROM allocations WHERE invoice_id IN (SELECT id FROM invoices WHERE number = ?))`, f.Invoice)
	}
	if f.Account != "" && driver != "household" {
		cond(`p.household_id IN (SELECT id FROM households WHERE account = ?)`, f.Account)
	}
	if len(q.words) > 0 && (driver != "household" || f.Account != "") {
		var wargs []any
		cond(`p.household_id IN (`+q.wordsSQL(&wargs)+`)`, wargs...)
	}
	if f.Counter != "" {
		cond("p.counter = ?", f.Counter)
	}
	if f.Agent != "" {
		cond("p.agent = ?", f.Agent)
	}
	if f.Mode != "" {
		cond(`(SELECT modes FROM payment_modes WHERE payment_id = p.id) & ? <> 0`, modeBits[f.Mode])
	}
	switch f.Cancelled {
	case CancelledOnly:
		where = append(where, `EXISTS (SELECT 1 FROM cancellations c WHERE c.payment_id = p.id)`)
	case CancelledNot:
		where = append(where, `NOT EXISTS (SELECT 1 FROM cancellations c WHERE c.payment_id = p.id)`)
	}
	if after != nil {
		cond("(p.at, p.id) < (?, ?)", after.at, after.id)
	}
	args = append(args, limit)
	return `SELECT ` + col + ` FROM ` + from + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY p.at DESC, p.id DESC LIMIT ?`, args
}

// planNames chooses how a search by name (and nothing more selective) is
// run. A rare name's households have few payments: read them all
// (portal_payments, by household) and sort. A common word ("jean",
// "martin") matches hundreds of households and tens of thousands of
// payments: walking each régie's payments newest first, keeping those of
// the matching households, finds a page after about pageSize × households
// ÷ matching rows. The estimates come from three index reads.
func (t *Tx) planNames(q *search, regies, pageSize int) error {
	f := &q.f
	if len(q.words) == 0 || f.Receipt != "" || f.Invoice != "" || f.Account != "" {
		return nil
	}
	var args []any
	words := q.wordsSQL(&args)
	var matching, households, paid int64
	err := t.queryRow(`SELECT (SELECT count(*) FROM (`+words+`)), (SELECT coalesce(max(rowid), 0) FROM households),
		(SELECT coalesce(max(id), 0) FROM portal_payments)`, args...).Scan(&matching, &households, &paid)
	if err != nil {
		return wrap("search plan", err)
	}
	if matching == 0 || households == 0 {
		return nil
	}
	// A household's payments are read from an index alone when nothing
	// else filters (pure); the walk reads each payment's row: ten times
	// the cost.
	read := matching * paid / households
	walk := int64(pageSize) * households / matching * int64(regies)
	if q.pure() {
		walk *= 10
	}
	q.walkNames = walk < read
	return nil
}

// pure tells whether a search by household filters on nothing that
// portal_payments_search lacks (then that index also gives the page).
func (q *search) pure() bool {
	f := &q.f
	return f.Counter == "" && f.Agent == "" && f.Mode == "" && f.Amount == nil && f.Cancelled == "" &&
		!(f.Account != "" && len(q.words) > 0)
}
