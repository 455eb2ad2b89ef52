package store

import (
	"context"
	"encoding/json"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/portal"
)

const portalInvoiceCols = `i.id, i.regie, i.amount, i.paid, i.data`

// scanPortalInvoice reads an invoice as the portal shows it.
func scanPortalInvoice(sc scanner, regies map[string][2]string) (portal.Invoice, error) {
	var inv portal.Invoice
	var data string
	var amount, paid int64
	if err := sc.Scan(&inv.ID, &inv.Regie, &amount, &paid, &data); err != nil {
		return inv, err
	}
	if err := json.Unmarshal([]byte(data), &inv.Invoice); err != nil {
		return inv, err
	}
	inv.Amount, inv.Paid = regie.Money(amount), regie.Money(paid)
	inv.Remaining = regie.Money(max(amount-paid, 0))
	inv.RegieName = regies[inv.Regie][0]
	return inv, nil
}

// Invoices lists a household's invoices, latest issued first.
func (ps *PortalStore) Invoices(ctx context.Context, householdID string) ([]portal.Invoice, error) {
	var out []portal.Invoice
	err := ps.s.View(ctx, func(t *Tx) error {
		regies, err := t.regieNames()
		if err != nil {
			return err
		}
		return t.each(`SELECT `+portalInvoiceCols+` FROM invoices i WHERE i.household_id = ?
			ORDER BY json_extract(i.data, '$.issued_on') DESC, i.number DESC`, []any{householdID}, func(sc scanner) error {
			inv, err := scanPortalInvoice(sc, regies)
			out = append(out, inv)
			return err
		})
	})
	if err != nil {
		return nil, wrap("portal invoices", err)
	}
	return out, nil
}

// Invoice reads one of a household's invoices with its payments.
func (ps *PortalStore) Invoice(ctx context.Context, householdID, invoiceID string) (*portal.Invoice, error) {
	var out *portal.Invoice
	err := ps.s.View(ctx, func(t *Tx) error {
		regies, err := t.regieNames()
		if err != nil {
			return err
		}
		inv, err := scanPortalInvoice(t.queryRow(`SELECT `+portalInvoiceCols+` FROM invoices i
			WHERE i.id = ? AND i.household_id = ?`, invoiceID, householdID), regies)
		if notFound(err) {
			return regie.Errorf(regie.EInvoiceNotFound, "Facture introuvable.")
		} else if err != nil {
			return err
		}
		out = &inv
		// Only the household's own payments are listed, even if another
		// household's payment settled this invoice.
		return t.each(`SELECT p.id, p.receipt, p.at, p.regie, a.amount,
			EXISTS (SELECT 1 FROM cancellations c WHERE c.payment_id = p.id)
			FROM allocations a JOIN payments p ON p.id = a.payment_id
			WHERE a.invoice_id = ? AND p.household_id = ? ORDER BY p.at, p.receipt`, []any{invoiceID, householdID},
			func(sc scanner) error {
				var x portal.InvoicePayment
				var at, regieCode string
				var amount int64
				if err := sc.Scan(&x.PaymentID, &x.Receipt, &at, &regieCode, &amount, &x.Cancelled); err != nil {
					return err
				}
				x.At, x.Amount, x.Timezone = parseDBTime(at), regie.Money(amount), regies[regieCode][1]
				out.Payments = append(out.Payments, x)
				return nil
			})
	})
	if err != nil {
		if regie.ErrorCodeOf(err) == regie.EInvoiceNotFound {
			return nil, err
		}
		return nil, wrap("portal invoice", err)
	}
	return out, nil
}
