package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/portal"
)

// PaymentYears lists the years a household paid in, latest first.
func (ps *PortalStore) PaymentYears(ctx context.Context, householdID string) ([]int, error) {
	var out []int
	err := ps.s.View(ctx, func(t *Tx) error {
		return t.each(`SELECT DISTINCT CAST(substr(day, 1, 4) AS INTEGER) AS y FROM portal_payments
			WHERE household_id = ? ORDER BY y DESC`, []any{householdID}, func(sc scanner) error {
			var y int
			if err := sc.Scan(&y); err != nil {
				return err
			}
			out = append(out, y)
			return nil
		})
	})
	return out, wrap("portal payment years", err)
}

// PaymentsVersion changes whenever what PaymentYears or Payments answer
// for the household may have changed: one of its payments recorded or
// cancelled (the largest portal_payments id among its rows, see migration
// 0101), a régie's settings or a counter saved (their revisions).
func (ps *PortalStore) PaymentsVersion(ctx context.Context, householdID string) (string, error) {
	var payments, regies, counters int64
	err := ps.s.View(ctx, func(t *Tx) error {
		return t.queryRow(`SELECT (SELECT coalesce(max(id), 0) FROM portal_payments WHERE household_id = ?),
			(SELECT coalesce(max(rev), 0) FROM regies), (SELECT coalesce(max(rev), 0) FROM counters)`, householdID).
			Scan(&payments, &regies, &counters)
	})
	if err != nil {
		return "", wrap("portal payments version", err)
	}
	return fmt.Sprintf("%d.%d.%d", payments, regies, counters), nil
}

// Payments lists a household's payments of a year, latest first, in one
// range query on the index portal_payments_household: the tenders, what
// they settled and the cancellation are in the row (migration 0101).
func (ps *PortalStore) Payments(ctx context.Context, householdID string, year int) ([]portal.Payment, error) {
	var out []portal.Payment
	args := []any{householdID, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)}
	err := ps.s.View(ctx, func(t *Tx) error {
		regies, err := t.regieNames()
		if err != nil {
			return err
		}
		return t.each(`SELECT s.payment_id, s.receipt, s.at, s.day, s.regie, s.counter, s.total, coalesce(c.name, ''),
			s.tenders, s.settled, s.cancelled_at, s.cancel_reason
			FROM portal_payments s LEFT JOIN counters c ON c.regie = s.regie AND c.code = s.counter
			WHERE s.household_id = ? AND s.day >= ? AND s.day < ? ORDER BY s.at DESC, s.receipt DESC`, args, func(sc scanner) error {
			var x portal.Payment
			var at, tenders, settled string
			var total int64
			var cancelledAt, reason sql.NullString
			if err := sc.Scan(&x.ID, &x.Receipt, &at, &x.Day, &x.Regie, &x.Counter, &total, &x.CounterName,
				&tenders, &settled, &cancelledAt, &reason); err != nil {
				return err
			}
			x.At, x.Total = parseDBTime(at), regie.Money(total)
			x.RegieName, x.Timezone = regies[x.Regie][0], regies[x.Regie][1]
			if x.Tenders, err = parseTenders(tenders); err != nil {
				return fmt.Errorf("payment %s: %w", x.ID, err)
			}
			for _, tn := range x.Tenders {
				x.Online = x.Online || tn.Mode == regie.Online
			}
			if x.Settled, err = parseSettled(settled); err != nil {
				return fmt.Errorf("payment %s: %w", x.ID, err)
			}
			if cancelledAt.Valid {
				x.Cancelled = &portal.Cancelled{At: parseDBTime(cancelledAt.String), Reason: reason.String}
			}
			out = append(out, x)
			return nil
		})
	})
	if err != nil {
		return nil, wrap("portal payments", err)
	}
	return out, nil
}

// parseTenders reads portal_payments.tenders: "mode amount" pairs joined
// by commas.
func parseTenders(s string) ([]regie.Tender, error) {
	if s == "" {
		return nil, nil
	}
	out := make([]regie.Tender, 0, strings.Count(s, ",")+1)
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, ",")
		mode, amount, ok := strings.Cut(pair, " ")
		n, err := strconv.ParseInt(amount, 10, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("tender %q", pair)
		}
		out = append(out, regie.Tender{Mode: regie.PaymentMode(mode), Amount: regie.Money(n)})
	}
	return out, nil
}

// parseSettled reads portal_payments.settled, the JSON array of
// [invoice_id, invoice_number, item_code, label, amount] arrays that SQLite's
// json_group_array wrote. It reads that shape directly, which costs a tenth
// of encoding/json; a string with an escape goes through encoding/json.
func parseSettled(s string) ([]portal.Settled, error) {
	p := settledParser{s: s}
	var out []portal.Settled
	p.expect('[')
	if p.peek() == ']' {
		p.i++
	} else {
		for p.err == nil {
			var x portal.Settled
			p.expect('[')
			x.InvoiceID = p.str()
			p.expect(',')
			x.InvoiceNumber = p.str()
			p.expect(',')
			x.ItemCode = p.str()
			p.expect(',')
			x.Label = p.str()
			p.expect(',')
			x.Amount = regie.Money(p.int())
			p.expect(']')
			out = append(out, x)
			if p.peek() != ',' {
				break
			}
			p.i++
		}
		p.expect(']')
	}
	if p.err == nil && p.peek() != 0 {
		p.fail()
	}
	if p.err != nil {
		return nil, fmt.Errorf("settled: %w", p.err)
	}
	return out, nil
}

type settledParser struct {
	s   string
	i   int
	err error
}

func (p *settledParser) fail() {
	if p.err == nil {
		p.err = fmt.Errorf("unexpected data at byte %d", p.i)
	}
}

// peek is the next byte that is not a space, 0 at the end.
func (p *settledParser) peek() byte {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
	if p.i >= len(p.s) {
		return 0
	}
	return p.s[p.i]
}

func (p *settledParser) expect(c byte) {
	if p.err == nil && p.peek() != c {
		p.fail()
	}
	p.i++
}

func (p *settledParser) str() string {
	if p.err != nil || p.peek() != '"' {
		p.fail()
		return ""
	}
	start, escaped := p.i, false
	for p.i++; p.i < len(p.s); p.i++ {
		switch p.s[p.i] {
		case '\\':
			escaped = true
			p.i++
		case '"':
			p.i++
			if !escaped {
				return p.s[start+1 : p.i-1]
			}
			var out string
			if err := json.Unmarshal([]byte(p.s[start:p.i]), &out); err != nil {
				p.err = err
			}
			return out
		}
	}
	p.fail()
	return ""
}

func (p *settledParser) int() int64 {
	if p.err != nil {
		return 0
	}
	p.peek()
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] >= '0' && p.s[p.i] <= '9') {
		p.i++
	}
	n, err := strconv.ParseInt(p.s[start:p.i], 10, 64)
	if err != nil {
		p.err = err
	}
	return n
}

type scanner interface{ Scan(...any) error }

// each runs a query and calls fn for every row.
func (t *Tx) each(q string, args []any, fn func(scanner) error) error {
	rows, err := t.query(q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// VerifyReceipt finds a receipt by number and the start of its journal
// hash; nil when there is none.
func (ps *PortalStore) VerifyReceipt(ctx context.Context, number, hashPrefix string) (*portal.ReceiptCheck, error) {
	var out *portal.ReceiptCheck
	err := ps.s.View(ctx, func(t *Tx) error {
		var at, hash, regieCode string
		var total int64
		var cancelled bool
		err := t.queryRow(`SELECT p.at, p.total, p.regie, j.hash,
			EXISTS (SELECT 1 FROM cancellations c WHERE c.payment_id = p.id)
			FROM payments p JOIN journal j ON j.counter_id = p.counter_id AND j.seq = p.seq
			WHERE p.receipt = ?`, number).Scan(&at, &total, &regieCode, &hash, &cancelled)
		if notFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		if len(hashPrefix) != 16 || len(hash) < 16 || hash[:16] != hashPrefix {
			return nil
		}
		regies, err := t.regieNames()
		if err != nil {
			return err
		}
		out = &portal.ReceiptCheck{Receipt: number, At: parseDBTime(at), Total: regie.Money(total),
			RegieName: regies[regieCode][0], Timezone: regies[regieCode][1], Cancelled: cancelled}
		return nil
	})
	return out, wrap("portal verify receipt", err)
}
