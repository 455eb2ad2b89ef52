package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/printing"
)

// The attestation reads a household's payments of a year through
// portal_payments' index (household, day), the ones not cancelled only,
// with their journal entry: the payment as the counter recorded it (its
// tenders and allocations) and the hash the receipt check confirms.
var (
	qAttestationYears = portalRead(`SELECT DISTINCT CAST(substr(day, 1, 4) AS INTEGER) AS y FROM portal_payments
	WHERE household_id = ? AND cancelled_at IS NULL ORDER BY y DESC`)
	qAttestationPayments = portalRead(`SELECT j.data, j.hash, c.name, c.kind
	FROM portal_payments s JOIN payments p ON p.id = s.payment_id
	JOIN journal j ON j.counter_id = p.counter_id AND j.seq = p.seq
	JOIN counters c ON c.id = p.counter_id
	WHERE s.household_id = ? AND s.day >= ? AND s.day < ? AND s.cancelled_at IS NULL
	ORDER BY s.regie, s.at, s.receipt`)
)

// AttestationYears lists the years in which the household has a payment
// that was not cancelled, latest first: the years an attestation exists for.
func (ps *PortalStore) AttestationYears(ctx context.Context, householdID string) ([]int, error) {
	var out []int
	err := ps.view(ctx, func(t *Tx) error {
		return t.each(qAttestationYears, []any{householdID}, func(sc scanner) error {
			var y int
			err := sc.Scan(&y)
			out = append(out, y)
			return err
		})
	})
	return out, wrap("portal attestation years", err)
}

// Attestation gathers what the household paid in a year (by the régie's
// day), cancelled payments left out, per régie, every counter and mode
// alike: each payment split by service and child from the invoice lines
// it settled. It returns nil when the household paid nothing that year.
// City, Issued and VerifyURL are left for the portal to fill.
func (ps *PortalStore) Attestation(ctx context.Context, householdID string, year int) (*printing.AttestationData, error) {
	var out *printing.AttestationData
	err := ps.view(ctx, func(t *Tx) error {
		h, err := t.Household(householdID)
		if err != nil || h == nil {
			return err
		}
		d := &printing.AttestationData{Year: year, Household: h.Name, Account: h.Account, Address: h.Address}
		lines := map[string][]regie.InvoiceLine{}
		args := []any{householdID, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)}
		err = t.each(qAttestationPayments, args, func(sc scanner) error {
			var data, hash, counterName, kind string
			if err := sc.Scan(&data, &hash, &counterName, &kind); err != nil {
				return err
			}
			var p regie.Payment
			if err := json.Unmarshal([]byte(data), &p); err != nil {
				return err
			}
			if n := len(d.Regies); n == 0 || d.Regies[n-1].Regie.Code != p.Regie {
				r, err := t.Regie(p.Regie)
				if err != nil {
					return err
				} else if r == nil {
					r = &regie.Regie{Code: p.Regie, Name: p.Regie}
				}
				d.Regies = append(d.Regies, printing.AttestationRegie{Regie: *r})
			}
			x := printing.AttestationPayment{Receipt: p.Receipt, At: p.At, Place: attestationPlace(&p, counterName, kind),
				Tenders: p.Tenders, Total: p.Total, Hash: hash}
			for _, a := range p.Allocations {
				ls, err := t.invoiceLines(lines, a.InvoiceID)
				if err != nil {
					return err
				}
				x.Shares = append(x.Shares, splitAllocation(a, ls)...)
			}
			r := &d.Regies[len(d.Regies)-1]
			r.Payments = append(r.Payments, x)
			return nil
		})
		if err != nil || len(d.Regies) == 0 {
			return err
		}
		out = d
		return nil
	})
	if err != nil {
		return nil, wrap("portal attestation", err)
	}
	return out, nil
}

// invoiceLines reads an invoice's lines once per attestation; none for a
// catalogue item (no invoice) or an invoice the server no longer has.
func (t *Tx) invoiceLines(cache map[string][]regie.InvoiceLine, id string) ([]regie.InvoiceLine, error) {
	if id == "" {
		return nil, nil
	}
	if ls, ok := cache[id]; ok {
		return ls, nil
	}
	var data string
	err := t.queryRow(`SELECT data FROM invoices WHERE id = ?`, id).Scan(&data)
	if notFound(err) {
		cache[id] = nil
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var inv regie.Invoice
	if err := json.Unmarshal([]byte(data), &inv); err != nil {
		return nil, fmt.Errorf("invoice %s: %w", id, err)
	}
	cache[id] = inv.Lines
	return inv.Lines, nil
}

// attestationPlace says where a payment was made: the desk's name, or for
// the server's own counters how the money came ("en ligne", "virement").
func attestationPlace(p *regie.Payment, counterName, kind string) string {
	if kind == "desk" || kind == "" {
		return counterName
	}
	var modes []string
	for _, t := range p.Tenders {
		m := strings.ToLower(t.Mode.Label())
		if t.Mode == regie.Online {
			m = "en ligne"
		}
		if len(modes) == 0 || modes[len(modes)-1] != m {
			modes = append(modes, m)
		}
	}
	return strings.Join(modes, ", ")
}

// splitAllocation splits what a payment paid on an invoice among the
// invoice's lines, in proportion to their amounts (a partial payment pays
// each line its share), the cents left by rounding going to the largest
// remainders so the shares add up to the allocation exactly. Lines of the
// same service and child are one share. An allocation with no line (a
// catalogue item, an invoice without lines) is one share named by its
// label.
func splitAllocation(a regie.Allocation, lines []regie.InvoiceLine) []printing.AttestationShare {
	var base regie.Money
	for _, l := range lines {
		if l.Amount > 0 {
			base += l.Amount
		}
	}
	if base <= 0 {
		return []printing.AttestationShare{{Service: serviceName(a.Label, ""), Amount: a.Amount}}
	}
	type part struct {
		share printing.AttestationShare
		rem   int64
	}
	parts := make([]part, 0, len(lines))
	given := regie.Money(0)
	for _, l := range lines {
		if l.Amount <= 0 {
			continue
		}
		n := int64(a.Amount) * int64(l.Amount)
		parts = append(parts, part{share: printing.AttestationShare{Service: serviceName(l.Label, l.Period),
			Child: strings.TrimSpace(l.Beneficiary), Amount: regie.Money(n / int64(base))}, rem: n % int64(base)})
		given += regie.Money(n / int64(base))
	}
	// Hand out the cents rounding left, largest remainder first (ties in
	// line order), one each: there are fewer of them than lines.
	for left := a.Amount - given; left != 0; {
		best := -1
		for i, p := range parts {
			if p.rem != 0 && (best < 0 || abs64(p.rem) > abs64(parts[best].rem)) {
				best = i
			}
		}
		if best < 0 {
			parts[0].share.Amount += left
			break
		}
		step := regie.Money(1)
		if left < 0 {
			step = -1
		}
		parts[best].share.Amount += step
		parts[best].rem = 0
		left -= step
	}
	var out []printing.AttestationShare
	for _, p := range parts {
		merged := false
		for i := range out {
			if out[i].Service == p.share.Service && out[i].Child == p.share.Child {
				out[i].Amount += p.share.Amount
				merged = true
			}
		}
		if !merged {
			out = append(out, p.share)
		}
	}
	return out
}

// serviceName is an invoice line's service without its period: the
// business software often writes "Restauration scolaire – octobre 2026"
// with period "octobre 2026", and the attestation adds the year's months
// of one service together.
func serviceName(label, period string) string {
	label = strings.TrimSpace(label)
	if p := strings.TrimSpace(period); p != "" {
		for _, sep := range []string{" – ", " - ", " — ", " "} {
			if s, ok := strings.CutSuffix(label, sep+p); ok && strings.TrimSpace(s) != "" {
				return strings.TrimSpace(s)
			}
		}
	}
	if label == "" {
		return "Paiement"
	}
	return label
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
