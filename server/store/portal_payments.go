package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/portal"
)

var (
	qPaymentYears = portalRead(`SELECT DISTINCT CAST(substr(day, 1, 4) AS INTEGER) AS y FROM portal_payments
	WHERE household_id = ? ORDER BY y DESC`)
	qPaymentsVersion = portalRead(`SELECT (SELECT coalesce(max(id), 0) FROM portal_payments WHERE household_id = ?),
	(SELECT coalesce(max(rev), 0) FROM regies), (SELECT coalesce(max(rev), 0) FROM counters)`)
	qPortalPayments = portalRead(`SELECT s.payment_id, s.receipt, s.at, s.day, s.regie, s.counter, s.total, coalesce(c.name, ''),
	s.tenders, s.cancelled_at, s.cancel_reason
	FROM portal_payments s LEFT JOIN counters c ON c.regie = s.regie AND c.code = s.counter
	WHERE s.household_id = ? AND s.day >= ? AND s.day < ? ORDER BY s.at DESC, s.receipt DESC`)
	qPortalSettled = portalRead(`SELECT a.payment_id, a.invoice_id, a.invoice_number, a.item_code, a.label, a.amount
	FROM portal_payments s JOIN allocations a ON a.payment_id = s.payment_id
	WHERE s.household_id = ? AND s.day >= ? AND s.day < ? ORDER BY a.payment_id, a.idx`)
)

// PaymentYears lists the years a household paid in, latest first.
func (ps *PortalStore) PaymentYears(ctx context.Context, householdID string) ([]int, error) {
	var out []int
	err := ps.view(ctx, func(t *Tx) error {
		return t.each(qPaymentYears, []any{householdID}, func(sc scanner) error {
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
	err := ps.view(ctx, func(t *Tx) error {
		return t.queryRow(qPaymentsVersion, householdID).
			Scan(&payments, &regies, &counters)
	})
	if err != nil {
		return "", wrap("portal payments version", err)
	}
	return fmt.Sprintf("%d.%d.%d", payments, regies, counters), nil
}

// Payments lists a household's payments of a year, latest first, in two
// range queries on the index portal_payments_household: the payments with
// their tenders and cancellation (migration 0101), then what they settled.
func (ps *PortalStore) Payments(ctx context.Context, householdID string, year int) ([]portal.Payment, error) {
	var out []portal.Payment
	args := []any{householdID, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)}
	err := ps.view(ctx, func(t *Tx) error {
		regies, err := t.regieNames()
		if err != nil {
			return err
		}
		index := map[string]int{}
		err = t.each(qPortalPayments, args, func(sc scanner) error {
			var x portal.Payment
			var at string
			var tenders []byte
			var total int64
			var cancelledAt, reason sql.NullString
			if err := sc.Scan(&x.ID, &x.Receipt, &at, &x.Day, &x.Regie, &x.Counter, &total, &x.CounterName,
				&tenders, &cancelledAt, &reason); err != nil {
				return err
			}
			x.At, x.Total = parseDBTime(at), regie.Money(total)
			x.RegieName, x.Timezone = regies[x.Regie][0], regies[x.Regie][1]
			var ts []struct {
				Mode   regie.PaymentMode `json:"mode"`
				Amount regie.Money       `json:"amount"`
			}
			if err := json.Unmarshal(tenders, &ts); err != nil {
				return fmt.Errorf("tenders of payment %s: %w", x.ID, err)
			}
			if len(ts) > 0 {
				x.Tenders = make([]regie.Tender, len(ts))
			}
			for i, tn := range ts {
				x.Tenders[i] = regie.Tender{Mode: tn.Mode, Amount: tn.Amount}
				x.Online = x.Online || tn.Mode == regie.Online
			}
			if cancelledAt.Valid {
				x.Cancelled = &portal.Cancelled{At: parseDBTime(cancelledAt.String), Reason: reason.String}
			}
			index[x.ID] = len(out)
			out = append(out, x)
			return nil
		})
		if err != nil || len(out) == 0 {
			return err
		}
		return t.each(qPortalSettled, args, func(sc scanner) error {
			var id string
			var x portal.Settled
			var amount int64
			if err := sc.Scan(&id, &x.InvoiceID, &x.InvoiceNumber, &x.ItemCode, &x.Label, &amount); err != nil {
				return err
			}
			x.Amount = regie.Money(amount)
			p := &out[index[id]]
			p.Settled = append(p.Settled, x)
			return nil
		})
	})
	if err != nil {
		return nil, wrap("portal payments", err)
	}
	return out, nil
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
func (ps *PortalStore) VerifyReceipt(ctx context.Context, org, number, hashPrefix string) (*portal.ReceiptCheck, error) {
	var out *portal.ReceiptCheck
	err := ps.s.View(ctx, func(t *Tx) error {
		var at, hash, regieCode string
		var total int64
		var cancelled bool
		err := t.queryRow(`SELECT p.at, p.total, p.regie, j.hash,
			EXISTS (SELECT 1 FROM cancellations c WHERE c.payment_id = p.id)
			FROM payments p JOIN journal j ON j.counter_id = p.counter_id AND j.seq = p.seq
			WHERE p.receipt = ? AND p.regie IN (SELECT code FROM regies WHERE org = ?)`, number, org).Scan(&at, &total, &regieCode, &hash, &cancelled)
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
