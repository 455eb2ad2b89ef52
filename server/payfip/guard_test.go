package payfip_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/payfip/payfipsim"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// What must never pay, or pay twice: forged notifications, another
// household's invoice, concurrent orders, a status that disagrees, a
// payment the ledger refuses, a rewrite of the orders.

func TestForgedNotificationChangesNothing(t *testing.T) {
	e := newEnv(t, payfipsim.Options{})
	b := e.browser()
	for _, idop := range []string{"0b7c1a52-3a0e-11ef-9a5c-0242ac120002", "", "../../etc", strings.Repeat("a", 3000)} {
		r := b.do(http.MethodPost, "/payfip/notification", url.Values{"idop": {idop}})
		if r.StatusCode != http.StatusNotFound {
			t.Fatalf("forged %q: %d %s", idop, r.StatusCode, r.body)
		}
		if r := b.get("/payfip/retour?idop=" + url.QueryEscape(idop)); r.StatusCode != http.StatusNotFound {
			t.Fatalf("return %q: %d", idop, r.StatusCode)
		}
	}
	// A real order the payer has not paid yet: notifying it only asks
	// PayFiP, which says it is pending.
	csrf := b.login(helene, "K7Q101X")
	idOp, _ := b.startPayment(csrf, invoice)
	if r := e.browser().do(http.MethodPost, "/payfip/notification", url.Values{"idop": {idOp}}); r.StatusCode != http.StatusOK ||
		r.body != "pending\n" {
		t.Fatalf("early notification: %d %q", r.StatusCode, r.body)
	}
	assertNothingPaid(t, e, idOp, "created")
	orders, _ := e.stateOrders()
	if orders != 1 {
		t.Fatalf("%d orders", orders)
	}
}

func (e *env) stateOrders() (int, error) {
	n := 0
	err := e.st.QueryRow(`SELECT count(*) FROM payfip_orders`).Scan(&n)
	return n, err
}

func TestAnotherHouseholdsInvoiceIsRefused(t *testing.T) {
	e := newEnv(t, payfipsim.Options{})
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	for _, id := range []string{"i-0002-1", "nope"} {
		r := b.do(http.MethodPost, "/factures/"+id+"/payer", url.Values{"csrf": {csrf}})
		if r.StatusCode != http.StatusNotFound {
			t.Fatalf("%s: %d %s", id, r.StatusCode, r.body)
		}
	}
	if r := b.do(http.MethodPost, "/factures/"+invoice+"/payer", url.Values{"csrf": {"forged"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("without CSRF: %d", r.StatusCode)
	}
	if n, _ := e.stateOrders(); n != 0 {
		t.Fatalf("%d orders created", n)
	}
	// Thomas pays his own; Hélène, given his idOp, sees its state only.
	t2 := e.browser()
	csrf2 := t2.login(thomas, "K7Q102X")
	idOp, page := t2.startPayment(csrf2, "i-0002-1")
	t2.choose(page, "carte")
	e.sim.Wait()
	r := b.get("/payfip/retour?idop=" + idOp)
	if !strings.Contains(r.body, "Paiement enregistré") || strings.Contains(r.body, "FAC-2026-00201") || strings.Contains(r.body, "recu.pdf") {
		t.Fatalf("someone else's return page: %s", r.body)
	}
}

func TestOneOrderAtATime(t *testing.T) {
	e := newEnv(t, payfipsim.Options{})
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	b.startPayment(csrf, invoice)
	r := b.do(http.MethodPost, "/factures/"+invoice+"/payer", url.Values{"csrf": {csrf}})
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "déjà en cours") {
		t.Fatalf("second order: %d %s", r.StatusCode, r.body)
	}
	if n, _ := e.stateOrders(); n != 1 {
		t.Fatalf("%d orders", n)
	}
}

func TestAmountMismatchIsLeftToTheRegisseur(t *testing.T) {
	e := newEnv(t, payfipsim.Options{AmountSkew: -100})
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	idOp, page := b.startPayment(csrf, invoice)
	done := b.choose(page, "carte")
	e.sim.Wait()
	assertNothingPaid(t, e, idOp, "created,anomaly")
	if back := b.goBack(done); !strings.Contains(back.body, "vérification") {
		t.Fatalf("return page: %s", back.body)
	}
	var anomalies []store.PayFiPOrder
	e.st.View(t.Context(), func(tx *store.Tx) (err error) {
		anomalies, err = tx.PayFiPAnomalies([]string{"ENF"})
		return err
	})
	if len(anomalies) != 1 || anomalies[0].IdOp != idOp || !strings.Contains(anomalies[0].Note, "60,60") {
		t.Fatalf("anomalies: %+v", anomalies)
	}
	assertNothingPaid(t, e, idOp, "created,anomaly")
}

func TestNoPayFiPNoButton(t *testing.T) {
	e := newEnv(t, payfipsim.Options{})
	setClient(t, e.st, "")
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	if page := b.get("/factures/" + invoice); strings.Contains(page.body, "Payer en ligne") {
		t.Fatal("Payer en ligne without a PayFiP client")
	}
	r := b.do(http.MethodPost, "/factures/"+invoice+"/payer", url.Values{"csrf": {csrf}})
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "ne propose pas le paiement en ligne") {
		t.Fatalf("pay: %d %s", r.StatusCode, r.body)
	}
}

// Two "Payer en ligne" at once (a double click, two instances): PayFiP
// gets two orders, both are kept, only one is offered.
func TestConcurrentStarts(t *testing.T) {
	e := newEnv(t, payfipsim.Options{})
	req := portal.OnlineRequest{HouseholdID: "h-0001", InvoiceID: invoice, Email: helene.Email}
	var wg sync.WaitGroup
	results := make([]error, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = e.svc.Start(t.Context(), req)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range results {
		var re *regie.Error
		switch {
		case err == nil:
			ok++
		case !errors.As(err, &re) || re.Code != regie.EConflict:
			t.Fatalf("start: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d orders offered", ok)
	}
	if n, _ := e.stateOrders(); n < 1 || n > len(results) {
		t.Fatalf("%d orders", n)
	}
}

// Money PayFiP took that the ledger refuses (the régie stopped allowing
// online payments meanwhile) is never lost silently: the order is an
// anomaly with the ledger's reason, for the régisseur.
func TestLedgerRefusalIsAnAnomaly(t *testing.T) {
	e := newEnv(t, payfipsim.Options{})
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	idOp, page := b.startPayment(csrf, invoice)
	err := e.st.Update(t.Context(), func(tx *store.Tx) error {
		r, err := tx.Regie("ENF")
		if err != nil {
			return err
		}
		r.Modes = []regie.PaymentMode{regie.Cash, regie.Check}
		return tx.SaveRegie(r, false)
	})
	if err != nil {
		t.Fatal(err)
	}
	b.choose(page, "carte")
	e.sim.Wait()
	assertNothingPaid(t, e, idOp, "created,anomaly")
	if s := e.state(invoice, idOp); !strings.Contains(s.order.Note, "n'est pas autorisé") || s.order.Result != "P" {
		t.Fatalf("anomaly: %+v", s.order)
	}
}

// Orders and their states are append-only, in the database itself.
func TestOrdersAreAppendOnly(t *testing.T) {
	e := newEnv(t, payfipsim.Options{})
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	idOp, _ := b.startPayment(csrf, invoice)
	for _, q := range []string{`UPDATE payfip_orders SET amount = 1`, `DELETE FROM payfip_orders`,
		`UPDATE payfip_order_events SET state = 'paid'`, `DELETE FROM payfip_order_events`} {
		if _, err := e.st.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := e.st.Exec(`INSERT INTO payfip_order_events (idop, state, at) VALUES (?, 'paid', 'x'), (?, 'paid', 'y')`, idOp, idOp); err == nil {
		t.Fatal("two paid events for one order")
	}
	assertNothingPaid(t, e, idOp, "created")
}

// Notifications and returns at the same moment, as several instances would
// get them: one payment, one "paid", and every caller told it is paid.
func TestConcurrentNotifications(t *testing.T) {
	e := newEnv(t, payfipsim.Options{DropNotification: true})
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	idOp, page := b.startPayment(csrf, invoice)
	b.choose(page, "carte")
	var wg sync.WaitGroup
	answers := make([]string, 8)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.browser().do(http.MethodPost, "/payfip/notification", url.Values{"idop": {idOp}})
			answers[i] = r.body
		}()
	}
	wg.Wait()
	for _, a := range answers {
		if a != "paid\n" {
			t.Fatalf("answers %q", answers)
		}
	}
	assertPaid(t, e, idOp, "P")
}
