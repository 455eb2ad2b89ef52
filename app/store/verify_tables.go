package store

import (
	"fmt"

	"github.com/regie-fr/regie"
)

// projections checks that the tables the counter queries say what the
// journal says: a row changed, added or removed behind the journal's back
// is named.
func (v *verifier) projections() error {
	for _, p := range []struct {
		table string
		kind  regie.EntryKind
	}{
		{"sessions", regie.KindSessionOpen}, {"payments", regie.KindPayment},
		{"cancellations", regie.KindCancellation}, {"reprints", regie.KindReprint},
		{"logins", regie.KindLogin}, {"closings", regie.KindClosing}, {"deposits", regie.KindDeposit},
	} {
		if err := v.table(p.table, p.kind); err != nil {
			return err
		}
	}
	if err := v.paymentRows(); err != nil {
		return err
	}
	if err := v.tenderRows(); err != nil {
		return err
	}
	if err := v.allocationRows(); err != nil {
		return err
	}
	return v.checksHeldRows()
}

func checkKey(paymentID string, idx int) string { return fmt.Sprintf("%s/%d", paymentID, idx) }

// checksHeldRows checks the index of the cheques in the till against the
// journal: received, not cancelled, not deposited.
func (v *verifier) checksHeldRows() error {
	want := map[string]bool{}
	for id, p := range v.payments {
		for i, t := range p.Tenders {
			if k := checkKey(id, i); t.Mode == regie.Check && !v.cancelled[id] && !v.deposited[k] {
				want[k] = true
			}
		}
	}
	rows, err := v.t.tx.QueryContext(v.t.ctx, `SELECT payment_id, idx FROM checks_held`)
	if err != nil {
		return fmt.Errorf("verify: read checks_held: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var idx int
		if err := rows.Scan(&id, &idx); err != nil {
			return fmt.Errorf("verify: read checks_held: %w", err)
		}
		if !want[checkKey(id, idx)] {
			v.r.add(Problem{ID: id, Kind: regie.KindPayment, Motif: fmt.Sprintf(
				"le chèque n° %d du paiement %s est dit en caisse alors que le journal le dit versé, annulé ou inexistant", idx+1, id)})
		}
		delete(want, checkKey(id, idx))
	}
	for k := range want {
		v.r.add(Problem{Kind: regie.KindPayment, Motif: "un chèque en caisse selon le journal manque à la liste des chèques en caisse (" + k + ")"})
	}
	return rows.Err()
}

// table checks that every row of a projection table belongs to a journal
// entry of the right kind and id, and that no entry lacks its row.
func (v *verifier) table(table string, kind regie.EntryKind) error {
	rows, err := v.t.tx.QueryContext(v.t.ctx, `SELECT t.id, t.seq, coalesce(j.kind, ''), coalesce(j.id, '')
		FROM `+table+` t LEFT JOIN journal j ON j.seq = t.seq ORDER BY t.seq`)
	if err != nil {
		return fmt.Errorf("verify: read %s: %w", table, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, jkind, jid string
		var seq int64
		if err := rows.Scan(&id, &seq, &jkind, &jid); err != nil {
			return fmt.Errorf("verify: read %s: %w", table, err)
		}
		n++
		if jkind != string(kind) || jid != id {
			v.r.add(Problem{Seq: seq, ID: id, Kind: kind, Motif: fmt.Sprintf(
				"la table %s contient une ligne (%s) qu'aucune entrée du journal n'a enregistrée", table, id)})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != v.kinds[kind] {
		v.r.add(Problem{Kind: kind, Motif: fmt.Sprintf("la table %s a %d lignes pour %d entrées « %s » au journal", table, n, v.kinds[kind], kind)})
	}
	return nil
}

func (v *verifier) paymentRows() error {
	rows, err := v.t.tx.QueryContext(v.t.ctx, `SELECT id, seq, receipt, total, day, household_id FROM payments ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("verify: read payments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, receipt, day, household string
		var seq, total int64
		if err := rows.Scan(&id, &seq, &receipt, &total, &day, &household); err != nil {
			return fmt.Errorf("verify: read payments: %w", err)
		}
		p := v.payments[id]
		if p == nil {
			continue // reported by table()
		}
		if p.Receipt != receipt || int64(p.Total) != total || p.Day != day || p.HouseholdID != household {
			v.r.add(Problem{Seq: seq, ID: id, Kind: regie.KindPayment, Motif: fmt.Sprintf(
				"la table des paiements dit %s pour %s, le journal dit %s pour %s", regie.Money(total), receipt, p.Total, p.Receipt)})
		}
	}
	return rows.Err()
}

func (v *verifier) tenderRows() error {
	rows, err := v.t.tx.QueryContext(v.t.ctx, `SELECT payment_id, idx, mode, amount, tendered, change, check_number, bank, drawer,
		authorisation, masked_pan, reference, count FROM tenders`)
	if err != nil {
		return fmt.Errorf("verify: read tenders: %w", err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var pid, mode string
		var idx int
		var t regie.Tender
		var amount, tendered, change int64
		if err := rows.Scan(&pid, &idx, &mode, &amount, &tendered, &change, &t.CheckNumber, &t.Bank, &t.Drawer,
			&t.Authorisation, &t.MaskedPAN, &t.Reference, &t.Count); err != nil {
			return fmt.Errorf("verify: read tenders: %w", err)
		}
		seen++
		t.Mode, t.Amount, t.Tendered, t.Change = regie.PaymentMode(mode), regie.Money(amount), regie.Money(tendered), regie.Money(change)
		p := v.payments[pid]
		if p == nil || idx >= len(p.Tenders) || !sameTender(p.Tenders[idx], t) {
			v.r.add(Problem{ID: pid, Kind: regie.KindPayment, Motif: fmt.Sprintf(
				"le moyen de paiement n° %d du paiement %s (%s %s) ne correspond pas au journal", idx+1, pid, t.Mode.Label(), t.Amount)})
		}
	}
	return v.countRows(rows.Err(), seen, "moyens de paiement", func(p *regie.Payment) int { return len(p.Tenders) })
}

func sameTender(a, b regie.Tender) bool {
	a.TerminalStatus, a.Keyed = "", false
	return a == b
}

func (v *verifier) allocationRows() error {
	rows, err := v.t.tx.QueryContext(v.t.ctx, `SELECT payment_id, idx, invoice_id, item_code, label, amount, credit FROM allocations`)
	if err != nil {
		return fmt.Errorf("verify: read allocations: %w", err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var pid, invoice, item, label string
		var idx int
		var amount, credit int64
		if err := rows.Scan(&pid, &idx, &invoice, &item, &label, &amount, &credit); err != nil {
			return fmt.Errorf("verify: read allocations: %w", err)
		}
		seen++
		p := v.payments[pid]
		if p == nil || idx >= len(p.Allocations) {
			v.r.add(Problem{ID: pid, Kind: regie.KindPayment, Motif: fmt.Sprintf("ligne réglée n° %d du paiement %s absente du journal", idx+1, pid)})
			continue
		}
		a := p.Allocations[idx]
		if a.InvoiceID != invoice || a.ItemCode != item || int64(a.Amount) != amount || int64(a.Credit) != credit || a.Label != label {
			v.r.add(Problem{ID: pid, Kind: regie.KindPayment, Motif: fmt.Sprintf(
				"la ligne réglée n° %d du reçu %s dit %s, le journal dit %s", idx+1, p.Receipt, regie.Money(amount), a.Amount)})
		}
	}
	return v.countRows(rows.Err(), seen, "lignes réglées", func(p *regie.Payment) int { return len(p.Allocations) })
}

func (v *verifier) countRows(err error, seen int, what string, per func(*regie.Payment) int) error {
	if err != nil {
		return err
	}
	want := 0
	for _, p := range v.payments {
		want += per(p)
	}
	if seen != want {
		v.r.add(Problem{Kind: regie.KindPayment, Motif: fmt.Sprintf("%d %s en table pour %d au journal", seen, what, want)})
	}
	return nil
}
