package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/regie-fr/regie"
)

// verifier holds, over the whole journal, what the rules of meaning check
// each entry against: numbering, sealed days, sessions, what was paid and
// refunded. A rebuild cannot see these: a forger who knows the hash can
// write a well-chained, well-projected entry that breaks them.
type verifier struct {
	k        *check
	years    map[int]int // last receipt number per year
	days     map[string]*regie.DayFigures
	sealed   map[string]bool
	sessions map[string]*regie.TillSession
	payments map[string]*regie.Payment
	// cancelled maps a payment to the entry that cancelled it.
	cancelled map[string]int64
	// receipts maps a receipt number to its payment entry's hash, for the
	// receipt anchors.
	receipts map[string]string
	prevCl   *regie.Closing
	// settings and agents are the journal's last word on them.
	settings *regie.Regie
	agents   map[string]regie.Agent
	// sealedThrough is the day of the last closing before a tail: every
	// day up to it is sealed. seeded says the verifier starts mid-journal.
	sealedThrough string
	seeded        bool
}

func newVerifier(k *check) *verifier {
	return &verifier{k: k, years: map[int]int{}, days: map[string]*regie.DayFigures{}, sealed: map[string]bool{},
		sessions: map[string]*regie.TillSession{}, payments: map[string]*regie.Payment{}, cancelled: map[string]int64{},
		receipts: map[string]string{}, agents: map[string]regie.Agent{}}
}

func (v *verifier) day(d string) *regie.DayFigures {
	f := v.days[d]
	if f == nil {
		f = &regie.DayFigures{Received: regie.ModeTotals{}, Refunded: regie.ModeTotals{}}
		v.days[d] = f
	}
	return f
}

func (v *verifier) onSealedDay(e *regie.Entry, day string) {
	if v.sealed[day] || day <= v.sealedThrough {
		v.k.problem(e, "enregistrée sur la journée du %s, déjà clôturée", day)
	}
}

// replay applies the rules of meaning to entry e recording obj.
func (v *verifier) replay(e *regie.Entry, obj any) {
	switch o := obj.(type) {
	case *regie.Payment:
		v.payment(e, o)
	case *regie.Cancellation:
		v.cancellation(e, o)
	case *regie.TillSession:
		v.onSealedDay(e, o.Day)
		v.sessions[o.ID] = o
	case *regie.Deposit:
		v.onSealedDay(e, o.Day)
		v.day(o.Day).CashDeposited += o.Cash
		if o.Total != o.Cash+regie.ChecksTotal(o.Checks) {
			v.k.problem(e, "total du versement (%s) différent des espèces et chèques versés", o.Total)
		}
		for _, c := range o.Checks {
			v.depositedCheck(e, c)
		}
	case *regie.Closing:
		v.closing(e, o)
	case *regie.SettingsChange:
		v.settingsEntry(o)
	case *regie.Reprint:
		if !v.knownPayment(o.PaymentID) {
			v.k.problem(e, "réimpression d'un paiement inconnu (%s)", o.PaymentID)
		}
	}
}

// seedBefore starts the rules of meaning at entry from, for the start
// check: the last closing before it (its day and every earlier one are
// sealed, and the next closing's perpetual totals follow from it) and the
// last receipt number given. Both are found reading the journal backwards
// from from, which costs the entries since them: usually a day.
func (v *verifier) seedBefore(from int64) error {
	last := func(kind regie.EntryKind, obj any) (bool, error) {
		var data string
		err := v.k.src.queryRow(`SELECT data FROM journal WHERE seq < ? AND kind = ? ORDER BY seq DESC LIMIT 1`,
			from, string(kind)).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		} else if err != nil {
			return false, fmt.Errorf("store: start check: %w", err)
		}
		return true, json.Unmarshal([]byte(data), obj)
	}
	v.seeded = true
	var cl regie.Closing
	if ok, err := last(regie.KindClosing, &cl); err != nil {
		return err
	} else if ok {
		v.prevCl, v.sealedThrough = &cl, cl.Day
	}
	var p regie.Payment
	if ok, err := last(regie.KindPayment, &p); err != nil {
		return err
	} else if ok {
		if _, _, year, n, err := regie.ParseReceiptNumber(p.Receipt); err == nil {
			v.years[year] = n
		}
	}
	return nil
}

// depositedCheck checks that a deposited cheque is a cheque taken in a
// payment, for that amount, whose payment was not cancelled before.
func (v *verifier) depositedCheck(e *regie.Entry, c regie.CheckLine) {
	p := v.payments[c.PaymentID]
	if p == nil && v.seeded {
		var data string
		if err := v.k.src.queryRow(`SELECT data FROM journal WHERE id = ? AND kind = ?`, c.PaymentID, string(regie.KindPayment)).Scan(&data); err == nil {
			p = &regie.Payment{}
			if json.Unmarshal([]byte(data), p) != nil {
				p = nil
			}
		}
	}
	switch {
	case p == nil:
		v.k.problem(e, "verse un chèque d'un paiement inconnu (%s)", c.PaymentID)
	case c.Tender < 0 || c.Tender >= len(p.Tenders) || p.Tenders[c.Tender].Mode != regie.Check:
		v.k.problem(e, "verse comme chèque le moyen de paiement n° %d du reçu %s, qui n'est pas un chèque", c.Tender+1, p.Receipt)
	case p.Tenders[c.Tender].Amount != c.Amount:
		v.k.problem(e, "verse le chèque du reçu %s pour %s, reçu pour %s", p.Receipt, c.Amount, p.Tenders[c.Tender].Amount)
	default:
		if at, ok := v.cancelled[c.PaymentID]; ok {
			v.k.problem(e, "verse un chèque du reçu %s, annulé par l'entrée n° %d", p.Receipt, at)
		}
	}
}

// knownPayment tells whether a payment was recorded before; mid-journal,
// an older one is looked up in the journal by its id.
func (v *verifier) knownPayment(id string) bool {
	if v.payments[id] != nil {
		return true
	}
	if !v.seeded {
		return false
	}
	var n int
	v.k.src.queryRow(`SELECT count(*) FROM journal WHERE id = ? AND kind = ?`, id, string(regie.KindPayment)).Scan(&n)
	return n > 0
}

func (v *verifier) cancellation(e *regie.Entry, c *regie.Cancellation) {
	v.onSealedDay(e, c.Day)
	p := v.payments[c.PaymentID]
	if p == nil {
		v.k.problem(e, "annule un paiement inconnu (%s)", c.PaymentID)
		return
	}
	if at, ok := v.cancelled[c.PaymentID]; ok {
		v.k.problem(e, "annule le paiement %s, déjà annulé par l'entrée n° %d", p.Receipt, at)
		return
	}
	v.cancelled[c.PaymentID] = e.Seq
	if c.Receipt != p.Receipt {
		v.k.problem(e, "annule le paiement %s sous le numéro de reçu %s", p.Receipt, c.Receipt)
	}
	paid, refunded := p.ByMode(), regie.ModeTotals{}
	var total regie.Money
	for _, t := range c.Refunds {
		refunded[t.Mode] += t.Amount
		total += t.Amount
		if t.Amount < 0 {
			v.k.problem(e, "remboursement négatif (%s)", t.Amount)
		}
	}
	for m, amount := range refunded {
		if amount > paid[m] {
			v.k.problem(e, "rembourse %s en %s sur le reçu %s, qui n'en a reçu que %s", amount, m.Label(), p.Receipt, paid[m])
		}
	}
	if total > p.Total {
		v.k.problem(e, "rembourse %s sur le reçu %s, payé %s", total, p.Receipt, p.Total)
	}
	f := v.day(c.Day)
	for _, t := range p.Tenders {
		f.Refunded[t.Mode] += t.Amount
	}
	f.Cancellations++
}

func (v *verifier) payment(e *regie.Entry, p *regie.Payment) {
	v.onSealedDay(e, p.Day)
	v.payments[p.ID] = p
	v.receipts[p.Receipt] = e.Hash
	v.k.r.Payments++
	_, _, year, n, err := regie.ParseReceiptNumber(p.Receipt)
	switch {
	case err != nil:
		v.k.problem(e, "numéro de reçu invalide « %s »", p.Receipt)
	case n != v.years[year]+1:
		v.k.problem(e, "reçu %s : le numéro %d était attendu (trou ou doublon dans la numérotation)", p.Receipt, v.years[year]+1)
	case len(p.Day) < 4 || p.Day[:4] != fmt.Sprintf("%04d", year):
		v.k.problem(e, "reçu %s : l'année du numéro ne correspond pas à la date du paiement", p.Receipt)
	}
	if err == nil {
		v.years[year] = n
	}
	if p.Total != p.TendersTotal() || p.Total != p.AllocationsTotal() {
		v.k.problem(e, "total %s différent des moyens de paiement (%s) ou des lignes réglées (%s)", p.Total, p.TendersTotal(), p.AllocationsTotal())
	}
	if s, ok := v.sessions[p.SessionID]; !ok {
		v.k.problem(e, "paiement hors de toute ouverture de caisse")
	} else if s.Day != p.Day {
		v.k.problem(e, "paiement du %s enregistré dans la caisse ouverte le %s", p.Day, s.Day)
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
	v.k.r.Closings++
	want := regie.Closing{Float: c.Float, Count: c.Count, Checks: c.Checks}
	if len(c.Sessions) == 1 {
		if s, ok := v.sessions[c.Sessions[0]]; !ok || s.Float != c.Float || s.Day != c.Day {
			v.k.problem(e, "la clôture ne correspond à aucune ouverture de caisse du %s", c.Day)
		}
	}
	want.Compute(v.day(c.Day), v.prevCl)
	switch {
	case !want.Totals.Equal(c.Totals):
		v.k.problem(e, "totaux par mode de la clôture du %s différents des paiements du journal", c.Day)
	case !want.GrandTotals.Equal(c.GrandTotals):
		v.k.problem(e, "grand total perpétuel de la clôture du %s incohérent avec la clôture précédente", c.Day)
	case want.ExpectedCash != c.ExpectedCash || want.CountedCash != c.CountedCash || want.Difference != c.Difference:
		v.k.problem(e, "espèces attendues, comptées ou écart de la clôture du %s incohérents", c.Day)
	case v.day(c.Day).Payments != c.Payments || v.day(c.Day).Cancellations != c.Cancellations:
		v.k.problem(e, "nombre de paiements ou d'annulations de la clôture du %s incohérent", c.Day)
	}
	v.sealed[c.Day] = true
	v.prevCl = c
}
