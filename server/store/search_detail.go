package store

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/regie-fr/regie"
)

// PaymentDetail is everything the back-office shows of one payment: the
// payment as its journal entry holds it (tenders, allocations), who
// recorded it, its cancellation and reprints, and its place in the chain.
type PaymentDetail struct {
	Payment       regie.Payment
	HouseholdName string
	AgentName     string
	CounterName   string
	RegieName     string
	Timezone      string
	Chain         ChainPlace
	Cancellation  *CancellationDetail
	Reprints      []ReprintDetail
}

// ChainPlace is an entry's place in its counter's journal.
type ChainPlace struct {
	Counter    string
	Seq        int64
	Hash       string
	PrevHash   string
	ReceivedAt time.Time
}

// CancellationDetail is a payment's cancellation with its entry.
type CancellationDetail struct {
	regie.Cancellation
	AgentName, ApprovedByName string
	Chain                     ChainPlace
}

// ReprintDetail is one reprint (DUPLICATA) of a payment's receipt.
type ReprintDetail struct {
	At        time.Time
	Agent     string
	AgentName string
	Chain     ChainPlace
}

// PaymentDetail reads one payment for a visitor who may see the régies of
// scope; a payment of another régie is not found, exactly as an unknown id.
func (s *Store) PaymentDetail(ctx context.Context, scope []string, id string) (*PaymentDetail, error) {
	var out *PaymentDetail
	err := s.View(ctx, func(t *Tx) (err error) {
		out, err = t.PaymentDetail(scope, id)
		return err
	})
	return out, err
}

// PaymentDetail is PaymentDetail in the caller's transaction.
func (t *Tx) PaymentDetail(scope []string, id string) (*PaymentDetail, error) {
	missing := regie.Errorf(regie.EPaymentNotFound, "Ce paiement n'existe pas, ou ne concerne pas une régie à laquelle vous avez accès.")
	var regieCode, data, received string
	d := &PaymentDetail{}
	err := t.queryRow(`SELECT p.regie, j.data, c.code, c.name, j.seq, j.hash, j.prev_hash, j.received_at
		FROM payments p JOIN journal j ON j.counter_id = p.counter_id AND j.seq = p.seq
		JOIN counters c ON c.id = p.counter_id WHERE p.id = ?`, id).
		Scan(&regieCode, &data, &d.Chain.Counter, &d.CounterName, &d.Chain.Seq, &d.Chain.Hash, &d.Chain.PrevHash, &received)
	if notFound(err) || err == nil && !slices.Contains(scope, regieCode) {
		return nil, missing
	} else if err != nil {
		return nil, wrap("payment detail", err)
	}
	d.Chain.ReceivedAt = parseDBTime(received)
	if err := json.Unmarshal([]byte(data), &d.Payment); err != nil {
		return nil, wrap("payment detail", err)
	}
	p := &d.Payment
	if r, err := t.Regie(regieCode); err != nil {
		return nil, err
	} else if r != nil {
		d.RegieName, d.Timezone = r.Name, r.Timezone
	}
	d.AgentName = t.agentName(regieCode, p.Agent)
	if p.HouseholdID != "" {
		if err := t.queryRow(`SELECT coalesce((SELECT name FROM households WHERE id = ?), '')`, p.HouseholdID).
			Scan(&d.HouseholdName); err != nil {
			return nil, wrap("payment detail", err)
		}
	}
	if err := t.cancellationOf(d, regieCode); err != nil {
		return nil, err
	}
	return d, t.reprintsOf(d, regieCode)
}

func (t *Tx) cancellationOf(d *PaymentDetail, regieCode string) error {
	var data, received string
	x := &CancellationDetail{}
	err := t.queryRow(`SELECT j.data, k.code, j.seq, j.hash, j.prev_hash, j.received_at
		FROM cancellations c JOIN journal j ON j.counter_id = c.counter_id AND j.seq = c.seq
		JOIN counters k ON k.id = c.counter_id WHERE c.payment_id = ?`, d.Payment.ID).
		Scan(&data, &x.Chain.Counter, &x.Chain.Seq, &x.Chain.Hash, &x.Chain.PrevHash, &received)
	if notFound(err) {
		return nil
	} else if err != nil {
		return wrap("payment cancellation", err)
	}
	if err := json.Unmarshal([]byte(data), &x.Cancellation); err != nil {
		return wrap("payment cancellation", err)
	}
	x.Chain.ReceivedAt = parseDBTime(received)
	x.AgentName, x.ApprovedByName = t.agentName(regieCode, x.Agent), t.agentName(regieCode, x.ApprovedBy)
	d.Cancellation = x
	return nil
}

// reprintsOf reads the reprint entries naming the payment, through the
// partial index journal_reprints (migration 0009), of the payment's
// régie's counters only.
func (t *Tx) reprintsOf(d *PaymentDetail, regieCode string) error {
	err := t.each(`SELECT j.data, k.code, j.seq, j.hash, j.prev_hash, j.received_at
		FROM journal j JOIN counters k ON k.id = j.counter_id
		WHERE j.kind = 'reprint' AND json_extract(j.data, '$.payment_id') = ? AND k.regie = ?
		ORDER BY j.at, k.code, j.seq`, []any{d.Payment.ID, regieCode}, func(sc scanner) error {
		var data, received string
		var x ReprintDetail
		if err := sc.Scan(&data, &x.Chain.Counter, &x.Chain.Seq, &x.Chain.Hash, &x.Chain.PrevHash, &received); err != nil {
			return err
		}
		var r regie.Reprint
		if err := json.Unmarshal([]byte(data), &r); err != nil {
			return err
		}
		x.At, x.Agent, x.AgentName = r.At, r.Agent, t.agentName(regieCode, r.Agent)
		x.Chain.ReceivedAt = parseDBTime(received)
		d.Reprints = append(d.Reprints, x)
		return nil
	})
	return wrap("payment reprints", err)
}
