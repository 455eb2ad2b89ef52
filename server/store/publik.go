package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/portal"
)

// PublikStore is what the Publik API (server/publik) reads: a régie's
// invoices and payments for a set of households, the ones the caller may
// see (linked to a Publik user, or named by account). Every query is
// scoped to the régie and to those households in SQL, so an id of another
// household or régie is "not found" exactly like one that does not exist.
type PublikStore struct{ s *Store }

// Publik gives the Publik API's reads on this store.
func (s *Store) Publik() *PublikStore { return &PublikStore{s: s} }

// PublikPayment is one of a household's payments as Publik lists it.
type PublikPayment struct {
	ID          string
	Receipt     string
	HouseholdID string
	At          time.Time
	Day         string
	Total       regie.Money
	Modes       []regie.PaymentMode
	Cancelled   bool
}

// RegieBySlug finds the régie whose code, lower-cased, is slug; nil when
// there is none.
func (ps *PublikStore) RegieBySlug(ctx context.Context, slug string) (*regie.Regie, error) {
	// Codes are capitals and digits (regie.CheckRegieCode): the slug is
	// the code in lower case, and only that spelling.
	if slug != strings.ToLower(slug) || regie.CheckRegieCode(strings.ToUpper(slug)) != nil {
		return nil, nil
	}
	var out *regie.Regie
	err := ps.s.View(ctx, func(t *Tx) (err error) {
		out, err = t.Regie(strings.ToUpper(slug))
		return err
	})
	return out, wrap("publik regie", err)
}

// HouseholdByAccount finds a household of an organisation by its account
// number; nil when there is none.
func (ps *PublikStore) HouseholdByAccount(ctx context.Context, org, account string) (*portal.Household, error) {
	var out *portal.Household
	err := ps.s.View(ctx, func(t *Tx) error {
		var h portal.Household
		err := t.queryRow(`SELECT id, account, name FROM households WHERE org = ? AND account = ?`, org, account).Scan(&h.ID, &h.Account, &h.Name)
		if notFound(err) {
			return nil
		}
		out = &h
		return err
	})
	return out, wrap("publik household", err)
}

// inList is "(?, ?, …)" for n values and the values as arguments.
func inList(ids []string) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")", args
}

// Invoices lists the régie's invoices of the households, open ones (some
// amount remaining) or settled ones, latest issued first.
func (ps *PublikStore) Invoices(ctx context.Context, regieCode string, households []string, open bool) ([]portal.Invoice, error) {
	if len(households) == 0 {
		return nil, nil
	}
	in, args := inList(households)
	cond := `i.amount - i.paid > 0`
	if !open {
		cond = `i.amount - i.paid <= 0`
	}
	var out []portal.Invoice
	err := ps.s.View(ctx, func(t *Tx) error {
		regies, err := t.regieNames()
		if err != nil {
			return err
		}
		return t.each(`SELECT `+portalInvoiceCols+` FROM invoices i WHERE i.regie = ? AND i.household_id IN `+in+` AND `+cond+`
			ORDER BY json_extract(i.data, '$.issued_on') DESC, i.number DESC`, append([]any{regieCode}, args...),
			func(sc scanner) error {
				inv, err := scanPortalInvoice(sc, regies)
				out = append(out, inv)
				return err
			})
	})
	return out, wrap("publik invoices", err)
}

// Invoice reads one of the régie's invoices if it is one of the
// households' (any household when households is nil);
// regie.EInvoiceNotFound otherwise.
func (ps *PublikStore) Invoice(ctx context.Context, regieCode, id string, households []string) (*portal.Invoice, error) {
	q, args := `SELECT `+portalInvoiceCols+` FROM invoices i WHERE i.regie = ? AND i.id = ?`, []any{regieCode, id}
	if households != nil {
		if len(households) == 0 {
			return nil, regie.Errorf(regie.EInvoiceNotFound, "Facture introuvable.")
		}
		in, more := inList(households)
		q, args = q+` AND i.household_id IN `+in, append(args, more...)
	}
	var out *portal.Invoice
	err := ps.s.View(ctx, func(t *Tx) error {
		regies, err := t.regieNames()
		if err != nil {
			return err
		}
		inv, err := scanPortalInvoice(t.queryRow(q, args...), regies)
		if notFound(err) {
			return regie.Errorf(regie.EInvoiceNotFound, "Facture introuvable.")
		}
		out = &inv
		return err
	})
	if regie.ErrorCodeOf(err) == regie.EInvoiceNotFound {
		return nil, err
	}
	return out, wrap("publik invoice", err)
}

// Payments lists the régie's payments of the households, whatever their
// counter and mode, latest first, cancelled ones included (and said so).
func (ps *PublikStore) Payments(ctx context.Context, regieCode string, households []string) ([]PublikPayment, error) {
	if len(households) == 0 {
		return nil, nil
	}
	in, args := inList(households)
	var out []PublikPayment
	err := ps.s.View(ctx, func(t *Tx) error {
		return t.each(`SELECT payment_id, receipt, household_id, at, day, total, tenders, cancelled_at IS NOT NULL
			FROM portal_payments WHERE regie = ? AND household_id IN `+in+` ORDER BY at DESC, receipt DESC`,
			append([]any{regieCode}, args...), func(sc scanner) error {
				var p PublikPayment
				var at string
				var total int64
				var tenders []byte
				if err := sc.Scan(&p.ID, &p.Receipt, &p.HouseholdID, &at, &p.Day, &total, &tenders, &p.Cancelled); err != nil {
					return err
				}
				p.At, p.Total = parseDBTime(at), regie.Money(total)
				var ts []regie.Tender
				if err := json.Unmarshal(tenders, &ts); err != nil {
					return err
				}
				for _, x := range ts {
					p.Modes = append(p.Modes, x.Mode)
				}
				out = append(out, p)
				return nil
			})
	})
	return out, wrap("publik payments", err)
}

// PaymentHousehold is the household of one of the régie's payments if it
// is one of households (any when households is nil);
// regie.EPaymentNotFound otherwise.
func (ps *PublikStore) PaymentHousehold(ctx context.Context, regieCode, paymentID string, households []string) (string, error) {
	var h string
	err := ps.s.View(ctx, func(t *Tx) error {
		return t.queryRow(`SELECT household_id FROM payments WHERE regie = ? AND id = ? AND household_id <> ''`,
			regieCode, paymentID).Scan(&h)
	})
	if notFound(err) {
		return "", regie.Errorf(regie.EPaymentNotFound, "Paiement introuvable.")
	} else if err != nil {
		return "", wrap("publik payment", err)
	}
	if households == nil {
		return h, nil
	}
	for _, x := range households {
		if x == h {
			return h, nil
		}
	}
	return "", regie.Errorf(regie.EPaymentNotFound, "Paiement introuvable.")
}

// PaymentTotal is the total of the payment with the id, if it is
// recorded: what a resent Publik payment without an amount paid the first
// time.
func (t *Tx) PaymentTotal(id string) (regie.Money, bool, error) {
	var n int64
	err := t.queryRow(`SELECT total FROM payments WHERE id = ?`, id).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, false, nil
	}
	return regie.Money(n), err == nil, wrap("payment total", err)
}
