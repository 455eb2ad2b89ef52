package store

import (
	"context"
	"database/sql"
)

// CounterGauge is what the database says of one counter for monitoring:
// the entries of its journal the server holds and, when the counter last
// told its own head, how many of them it has not pushed yet.
type CounterGauge struct {
	Regie, Code string
	Entries     int64
	// Behind is the counter's last reported head minus the server's last
	// entry (never below zero); Reported tells whether a head was ever
	// reported (an older program does not).
	Behind   int64
	Reported bool
}

// OpsGauges is the state the operations' monitoring reads at each scrape.
// It comes from the database, never from one process's memory, so every
// server instance reports the same figures (rule 11).
type OpsGauges struct {
	Counters []CounterGauge
	// PayFiPWaiting counts the PayFiP orders still waiting for their
	// outcome (last event "created"); PayFiPAnomalies those whose outcome
	// needs the régisseur.
	PayFiPWaiting, PayFiPAnomalies int64
}

// OpsGauges reads the monitoring's gauges in one read transaction. A
// journal's seq is gap-free from 1 (the hash chain), so its largest seq is
// its number of entries: one index lookup per counter, not a table scan.
func (s *Store) OpsGauges(ctx context.Context) (*OpsGauges, error) {
	var g OpsGauges
	err := s.View(ctx, func(t *Tx) error {
		rows, err := t.query(`SELECT c.regie, c.code,
			COALESCE((SELECT MAX(seq) FROM journal j WHERE j.counter_id = c.id), 0),
			(SELECT reported_head FROM counter_sync s WHERE s.counter_id = c.id)
			FROM counters c ORDER BY c.regie, c.code`)
		if err != nil {
			return wrap("ops gauges", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c CounterGauge
			var head sql.NullInt64
			if err := rows.Scan(&c.Regie, &c.Code, &c.Entries, &head); err != nil {
				return wrap("ops gauges", err)
			}
			if head.Valid {
				c.Reported = true
				c.Behind = max(head.Int64-c.Entries, 0)
			}
			g.Counters = append(g.Counters, c)
		}
		if err := rows.Err(); err != nil {
			return wrap("ops gauges", err)
		}
		return wrap("ops gauges", t.queryRow(`SELECT
			COALESCE(SUM(CASE WHEN e.state = 'created' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN e.state = 'anomaly' THEN 1 ELSE 0 END), 0)
			FROM payfip_orders o JOIN payfip_order_events e
			ON e.id = (SELECT MAX(id) FROM payfip_order_events WHERE idop = o.idop)`).Scan(&g.PayFiPWaiting, &g.PayFiPAnomalies))
	})
	if err != nil {
		return nil, err
	}
	return &g, nil
}
