package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/regie-fr/regie/internal/sqlitedb"

	"github.com/regie-fr/regie"
)

// Problem is one thing verify found wrong, tied to the journal entry where
// it shows (Seq 0 when it is in a projection table with no entry).
type Problem struct {
	Seq   int64
	ID    string
	Kind  regie.EntryKind
	Motif string // French: the report is read by a régisseur or an auditor
}

func (p Problem) String() string {
	if p.Seq == 0 {
		return p.Motif
	}
	return fmt.Sprintf("entrée n° %d (%s %s) : %s", p.Seq, p.Kind, p.ID, p.Motif)
}

// Report is what verify found in a counter file.
type Report struct {
	Counter   string
	Entries   int64
	Payments  int
	Closings  int
	LastHash  string
	Problems  []Problem
	Truncated bool
}

// OK tells whether the file is intact.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// maxProblems bounds a report: after the first break everything that
// follows is suspect anyway.
const maxProblems = 20

func (r *Report) add(p Problem) {
	if len(r.Problems) >= maxProblems {
		r.Truncated = true
		return
	}
	r.Problems = append(r.Problems, p)
}

// Verify re-checks a counter file without changing it: the hash chain and
// its numbering, the receipt numbers, that nothing was recorded on a
// sealed day, each closing's totals, and that the projection tables say
// what the journal says. It works on a copy's worth of trust: the file is
// opened read-only and the triggers are not relied upon.
func Verify(ctx context.Context, file string) (*Report, error) {
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, fmt.Errorf("verify: open %s: %w", file, err)
	}
	defer db.Close()
	var appID int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return nil, fmt.Errorf("verify: %s: %w", file, err)
	}
	if appID != ApplicationID {
		return nil, fmt.Errorf("verify: %s is not a Régie counter file", file)
	}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	defer tx.Rollback()
	v := &verifier{t: &Tx{tx: tx, ctx: ctx, b: sqlitedb.Bind(ctx, tx, nil)}, r: &Report{}, years: map[int]int{},
		days: map[string]*regie.DayFigures{}, sealed: map[string]bool{}, sessions: map[string]*regie.TillSession{},
		payments: map[string]*regie.Payment{}, cancelled: map[string]bool{}, deposited: map[string]bool{}}
	if ident, err := v.t.Identity(); err == nil {
		v.r.Counter, v.ident = ident.Code, ident
	}
	if err := v.chain(); err != nil {
		return nil, err
	}
	if err := v.projections(); err != nil {
		return nil, err
	}
	return v.r, nil
}

// verifier replays the journal, keeping what later entries are checked
// against.
type verifier struct {
	t        *Tx
	r        *Report
	ident    *regie.Counter
	years    map[int]int // last receipt number per year
	days     map[string]*regie.DayFigures
	sealed   map[string]bool
	sessions map[string]*regie.TillSession
	payments map[string]*regie.Payment
	// cancelled and deposited tell which cheques left the till.
	cancelled map[string]bool
	deposited map[string]bool
	cancels   int
	prevCl    *regie.Closing
	kinds     map[regie.EntryKind]int
}

func (v *verifier) chain() error {
	rows, err := v.t.tx.QueryContext(v.t.ctx, `SELECT `+entryCols+` FROM journal ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("verify: read journal: %w", err)
	}
	defer rows.Close()
	v.kinds = map[regie.EntryKind]int{}
	var prev *regie.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			v.r.add(Problem{Motif: fmt.Sprintf("entrée illisible après l'entrée n° %d : %v", v.r.Entries, err)})
			return nil
		}
		v.r.Entries++
		if err := regie.CheckLink(prev, e); err != nil {
			ce, _ := err.(*regie.ChainError)
			v.r.add(Problem{Seq: e.Seq, ID: e.ID, Kind: e.Kind, Motif: ce.Motif})
		}
		if v.ident != nil && e.Counter != v.ident.Code {
			v.problem(e, "enregistrée pour le poste %s, pas pour ce poste (%s)", e.Counter, v.ident.Code)
		}
		v.kinds[e.Kind]++
		v.replay(e)
		prev, v.r.LastHash = e, e.Hash
	}
	return rows.Err()
}

func (v *verifier) problem(e *regie.Entry, format string, args ...any) {
	v.r.add(Problem{Seq: e.Seq, ID: e.ID, Kind: e.Kind, Motif: fmt.Sprintf(format, args...)})
}

func (v *verifier) day(d string) *regie.DayFigures {
	f := v.days[d]
	if f == nil {
		f = &regie.DayFigures{Received: regie.ModeTotals{}, Refunded: regie.ModeTotals{}}
		v.days[d] = f
	}
	return f
}

// decode reads the entry's object and checks that it carries the entry's id.
func (v *verifier) decode(e *regie.Entry, obj any, id func() string) bool {
	if err := json.Unmarshal(e.Data, obj); err != nil {
		v.problem(e, "contenu illisible (%v)", err)
		return false
	}
	if id() != e.ID {
		v.problem(e, "l'identifiant de l'objet (%s) diffère de celui de l'entrée", id())
		return false
	}
	return true
}

func (v *verifier) onSealedDay(e *regie.Entry, day string) {
	if v.sealed[day] {
		v.problem(e, "enregistrée sur la journée du %s, déjà clôturée", day)
	}
}

func (v *verifier) replay(e *regie.Entry) {
	switch e.Kind {
	case regie.KindPayment:
		var p regie.Payment
		if v.decode(e, &p, func() string { return p.ID }) {
			v.payment(e, &p)
		}
	case regie.KindCancellation:
		var c regie.Cancellation
		if !v.decode(e, &c, func() string { return c.ID }) {
			return
		}
		v.onSealedDay(e, c.Day)
		p := v.payments[c.PaymentID]
		if p == nil {
			v.problem(e, "annule un paiement inconnu (%s)", c.PaymentID)
			return
		}
		f := v.day(c.Day)
		for _, t := range p.Tenders {
			f.Refunded[t.Mode] += t.Amount
		}
		f.Cancellations++
		v.cancels++
		v.cancelled[c.PaymentID] = true
	case regie.KindSessionOpen:
		var s regie.TillSession
		if v.decode(e, &s, func() string { return s.ID }) {
			v.onSealedDay(e, s.Day)
			v.sessions[s.ID] = &s
		}
	case regie.KindDeposit:
		var d regie.Deposit
		if v.decode(e, &d, func() string { return d.ID }) {
			v.onSealedDay(e, d.Day)
			v.day(d.Day).CashDeposited += d.Cash
			for _, c := range d.Checks {
				v.deposited[checkKey(c.PaymentID, c.Tender)] = true
			}
			if d.Total != d.Cash+regie.ChecksTotal(d.Checks) {
				v.problem(e, "total du versement (%s) différent des espèces et chèques versés", d.Total)
			}
		}
	case regie.KindClosing:
		var c regie.Closing
		if v.decode(e, &c, func() string { return c.ID }) {
			v.closing(e, &c)
		}
	case regie.KindLogin, regie.KindReprint, regie.KindSettings:
	default:
		v.problem(e, "type d'entrée inconnu « %s »", e.Kind)
	}
}

func (v *verifier) payment(e *regie.Entry, p *regie.Payment) {
	v.onSealedDay(e, p.Day)
	v.payments[p.ID] = p
	v.r.Payments++
	regieCode, counter, year, n, err := regie.ParseReceiptNumber(p.Receipt)
	switch {
	case err != nil:
		v.problem(e, "numéro de reçu invalide « %s »", p.Receipt)
	case n != v.years[year]+1:
		v.problem(e, "reçu %s : le numéro %d était attendu (trou ou doublon dans la numérotation)", p.Receipt, v.years[year]+1)
	case v.ident != nil && (regieCode != v.ident.Regie || counter != v.ident.Code):
		v.problem(e, "reçu %s : régie ou poste différent de ceux du fichier", p.Receipt)
	case len(p.Day) < 4 || p.Day[:4] != fmt.Sprintf("%04d", year):
		v.problem(e, "reçu %s : l'année du numéro ne correspond pas à la date du paiement", p.Receipt)
	}
	if err == nil {
		v.years[year] = n
	}
	if p.Total != p.TendersTotal() || p.Total != p.AllocationsTotal() {
		v.problem(e, "total %s différent des moyens de paiement (%s) ou des lignes réglées (%s)", p.Total, p.TendersTotal(), p.AllocationsTotal())
	}
	if _, ok := v.sessions[p.SessionID]; !ok {
		v.problem(e, "paiement hors de toute ouverture de caisse")
	}
	f := v.day(p.Day)
	for _, t := range p.Tenders {
		f.Received[t.Mode] += t.Amount
	}
	f.Payments++
	if f.FirstReceipt == "" {
		f.FirstReceipt = p.Receipt
	}
	f.LastReceipt = p.Receipt
}

func (v *verifier) closing(e *regie.Entry, c *regie.Closing) {
	v.onSealedDay(e, c.Day)
	v.r.Closings++
	want := regie.Closing{Float: c.Float, Count: c.Count, Checks: c.Checks}
	if len(c.Sessions) == 1 {
		if s, ok := v.sessions[c.Sessions[0]]; !ok || s.Float != c.Float || s.Day != c.Day {
			v.problem(e, "la clôture ne correspond à aucune ouverture de caisse du %s", c.Day)
		}
	}
	want.Compute(v.day(c.Day), v.prevCl)
	switch {
	case !want.Totals.Equal(c.Totals):
		v.problem(e, "totaux par mode de la clôture du %s différents des paiements du journal", c.Day)
	case !want.GrandTotals.Equal(c.GrandTotals):
		v.problem(e, "grand total perpétuel de la clôture du %s incohérent avec la clôture précédente", c.Day)
	case want.ExpectedCash != c.ExpectedCash || want.CountedCash != c.CountedCash || want.Difference != c.Difference:
		v.problem(e, "espèces attendues, comptées ou écart de la clôture du %s incohérents", c.Day)
	case v.day(c.Day).Payments != c.Payments || v.day(c.Day).Cancellations != c.Cancellations:
		v.problem(e, "nombre de paiements ou d'annulations de la clôture du %s incohérent", c.Day)
	}
	v.sealed[c.Day] = true
	v.prevCl = c
}
