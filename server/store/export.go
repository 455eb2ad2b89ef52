package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/regie-fr/regie"
)

// Movement is a payment or a cancellation as the finance software takes
// them: a cancellation comes with the payment it cancels, so that its
// tenders and allocations can be written with the opposite sign.
type Movement struct {
	Kind         regie.EntryKind // payment or cancellation
	At           time.Time
	Payment      regie.Payment
	Cancellation *regie.Cancellation
}

// Movements lists the payments and cancellations received from the counters
// whose time is in [since, until) (until zero: no end), for one régie or
// all ("" ), in time order.
func (s *Store) Movements(ctx context.Context, since, until time.Time, org, regieCode string) ([]Movement, error) {
	if until.IsZero() {
		until = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	var out []Movement
	err := s.View(ctx, func(t *Tx) error {
		// One organisation's movements only: the file goes to its
		// finance software.
		org, err := t.exportOrg(org, regieCode)
		if err != nil {
			return err
		}
		rows, err := t.query(`
			SELECT 'payment', p.at, j.data, '' FROM payments p JOIN journal j ON j.counter_id = p.counter_id AND j.seq = p.seq
			 WHERE p.at >= ?1 AND p.at < ?2 AND (?3 = '' OR p.regie = ?3) AND p.regie IN (SELECT code FROM regies WHERE org = ?4)
			UNION ALL
			SELECT 'cancellation', c.at, pj.data, cj.data FROM cancellations c
			  JOIN journal cj ON cj.counter_id = c.counter_id AND cj.seq = c.seq
			  JOIN payments p ON p.id = c.payment_id
			  JOIN journal pj ON pj.counter_id = p.counter_id AND pj.seq = p.seq
			 WHERE c.at >= ?1 AND c.at < ?2 AND (?3 = '' OR p.regie = ?3) AND p.regie IN (SELECT code FROM regies WHERE org = ?4)
			ORDER BY 2, 1 DESC`, dbTime(since), dbTime(until), regieCode, org)
		if err != nil {
			return wrap("movements", err)
		}
		defer rows.Close()
		for rows.Next() {
			var kind, at, pdata, cdata string
			if err := rows.Scan(&kind, &at, &pdata, &cdata); err != nil {
				return wrap("movements", err)
			}
			m := Movement{Kind: regie.EntryKind(kind)}
			if m.At, err = time.Parse(regie.TimeFormat, at); err != nil {
				return wrap("movements", err)
			}
			if err := json.Unmarshal([]byte(pdata), &m.Payment); err != nil {
				return wrap("movements", err)
			}
			if cdata != "" {
				m.Cancellation = &regie.Cancellation{}
				if err := json.Unmarshal([]byte(cdata), m.Cancellation); err != nil {
					return wrap("movements", err)
				}
			}
			out = append(out, m)
		}
		return wrap("movements", rows.Err())
	})
	return out, err
}

// InvoicePayments lists the ids of the payments allocated to an invoice, in
// the order the server received them, cancelled ones included.
func (s *Store) InvoicePayments(ctx context.Context, invoiceID string) (ids []string, err error) {
	err = s.View(ctx, func(t *Tx) error {
		rows, err := t.query(`SELECT a.payment_id FROM allocations a JOIN payments p ON p.id = a.payment_id
			WHERE a.invoice_id = ? GROUP BY a.payment_id ORDER BY min(p.rowid)`, invoiceID)
		if err != nil {
			return wrap("invoice payments", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return wrap("invoice payments", err)
			}
			ids = append(ids, id)
		}
		return wrap("invoice payments", rows.Err())
	})
	return ids, err
}
