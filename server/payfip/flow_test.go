package payfip_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/payfip/payfipsim"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// Invoice i-0001-1 of Hélène's household: 16 × 3,85 € = 61,60 €.
const (
	invoice = "i-0001-1"
	amount  = regie.Money(61_60)
)

// assertPaid checks that the invoice holds exactly one payment, the online
// one of idOp on the online counter, and nothing remains to pay.
func assertPaid(t *testing.T, e *env, idOp string, mode string) {
	t.Helper()
	s := e.state(invoice, idOp)
	if len(s.payments) != 1 || s.paid != amount || s.remaining != 0 {
		t.Fatalf("store: %d payments, paid %s, remaining %s", len(s.payments), s.paid, s.remaining)
	}
	if s.states() != "created,paid" {
		t.Fatalf("order events: %s", s.states())
	}
	if want := ledger.PaymentID("ENF", ledger.SourcePayFiP, idOp); s.payments[0] != want || s.order.PaymentID != want {
		t.Fatalf("payment id %s / %s, want %s", s.payments[0], s.order.PaymentID, want)
	}
	d := e.payment(s.payments[0])
	p := d.Payment
	_, result, _ := e.sim.Order(idOp)
	if p.Counter != "ENLIGNE" || p.Agent != "payfip" || p.Total != amount || len(p.Tenders) != 1 ||
		p.Tenders[0].Mode != regie.Online || p.Tenders[0].Reference != idOp || p.Tenders[0].Authorisation == "" ||
		p.HouseholdID != "h-0001" || p.Allocations[0].InvoiceID != invoice || s.order.Result != string(result) || s.order.Result != mode {
		t.Fatalf("payment %+v, order %+v", p, s.order)
	}
	if !strings.HasPrefix(p.Receipt, "R-ENF-ENLIGNE-") || s.order.Note != p.Receipt {
		t.Fatalf("receipt %q, order note %q", p.Receipt, s.order.Note)
	}
}

// assertNothingPaid checks that the invoice is untouched and the order in
// state want.
func assertNothingPaid(t *testing.T, e *env, idOp, want string) {
	t.Helper()
	s := e.state(invoice, idOp)
	if len(s.payments) != 0 || s.paid != 0 || s.remaining != amount {
		t.Fatalf("store: %d payments, paid %s, remaining %s", len(s.payments), s.paid, s.remaining)
	}
	if s.states() != want {
		t.Fatalf("order events: %s, want %s", s.states(), want)
	}
}

func TestPaidByCard(t *testing.T) {
	e := newEnv(t, payfipsim.Options{})
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	idOp, page := b.startPayment(csrf, invoice)
	if !strings.Contains(page.body, "61,60") || !strings.Contains(page.body, "Payer par prélèvement") {
		t.Fatalf("payment page: %s", page.body)
	}
	req, _, _ := e.sim.Order(idOp)
	if req.Numcli != numcli || req.Montant != int64(amount) || req.Refdet != "FAC202600101" || req.Mel != helene.Email ||
		req.Saisie != "T" || req.URLNotif != e.srv.URL+"/payfip/notification" || req.URLRedirect != e.srv.URL+"/payfip/retour" {
		t.Fatalf("creerPaiementSecurise: %+v", req)
	}
	done := b.choose(page, "carte")
	e.sim.Wait() // the notification has been answered
	assertPaid(t, e, idOp, "P")
	back := b.goBack(done)
	if back.StatusCode != http.StatusOK || !strings.Contains(back.body, "Paiement enregistré") || !strings.Contains(back.body, "par carte") {
		t.Fatalf("return page: %d %s", back.StatusCode, back.body)
	}
	s := e.state(invoice, idOp)
	pdf := b.get("/paiements/" + s.payments[0] + "/recu.pdf")
	if !strings.Contains(back.body, "/paiements/"+s.payments[0]+"/recu.pdf") || pdf.StatusCode != http.StatusOK ||
		pdf.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("receipt: %d %s", pdf.StatusCode, pdf.Header.Get("Content-Type"))
	}
	assertPaid(t, e, idOp, "P") // the return recorded nothing more
	if inv := b.get("/factures/" + invoice); strings.Contains(inv.body, "Payer en ligne") {
		t.Fatal("a paid invoice still offers Payer en ligne")
	}
}

func TestPaidByDirectDebit(t *testing.T) {
	e := newEnv(t, payfipsim.Options{})
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	idOp, page := b.startPayment(csrf, invoice)
	done := b.choose(page, "prelevement")
	e.sim.Wait()
	assertPaid(t, e, idOp, "V")
	if back := b.goBack(done); !strings.Contains(back.body, "par prélèvement") {
		t.Fatalf("return page: %s", back.body)
	}
}

func TestRefusedAndCancelled(t *testing.T) {
	for _, c := range []struct{ choice, state, page string }{
		{"refus", "refused", "Paiement refusé"},
		{"annulation", "cancelled", "Paiement annulé"},
	} {
		t.Run(c.choice, func(t *testing.T) {
			e := newEnv(t, payfipsim.Options{})
			b := e.browser()
			csrf := b.login(helene, "K7Q101X")
			idOp, page := b.startPayment(csrf, invoice)
			done := b.choose(page, c.choice)
			e.sim.Wait()
			assertNothingPaid(t, e, idOp, "created,"+c.state)
			back := b.goBack(done)
			if !strings.Contains(back.body, c.page) || !strings.Contains(back.body, "rien n'a été prélevé") {
				t.Fatalf("return page: %s", back.body)
			}
			assertNothingPaid(t, e, idOp, "created,"+c.state)
			// The invoice can be paid again at once, and this time it is.
			idOp2, page2 := b.startPayment(csrf, invoice)
			b.choose(page2, "carte")
			e.sim.Wait()
			assertPaid(t, e, idOp2, "P")
		})
	}
}

func TestNotificationTwice(t *testing.T) {
	e := newEnv(t, payfipsim.Options{NotifyTwice: true})
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	idOp, page := b.startPayment(csrf, invoice)
	done := b.choose(page, "carte")
	e.sim.Wait()
	assertPaid(t, e, idOp, "P")
	b.goBack(done)
	b.goBack(done) // the citizen presses the button twice too
	assertPaid(t, e, idOp, "P")
}

func TestReturnBeforeNotification(t *testing.T) {
	e := newEnv(t, payfipsim.Options{NotifyDelay: 300 * time.Millisecond})
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	idOp, page := b.startPayment(csrf, invoice)
	done := b.choose(page, "carte")
	back := b.goBack(done)
	if !strings.Contains(back.body, "Paiement enregistré") {
		t.Fatalf("return page: %s", back.body)
	}
	assertPaid(t, e, idOp, "P")
	e.sim.Wait() // now the late notification
	assertPaid(t, e, idOp, "P")
}

func TestNotificationNeverArrives(t *testing.T) {
	e := newEnv(t, payfipsim.Options{DropNotification: true})
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	idOp, page := b.startPayment(csrf, invoice)
	b.choose(page, "carte") // and the citizen closes the tab
	ctx := t.Context()
	if n, err := e.svc.Settle(ctx, e.now()); err != nil || n != 0 {
		t.Fatalf("settle too early: %d %v", n, err)
	}
	assertNothingPaid(t, e, idOp, "created")
	e.later(21 * time.Minute)
	if n, err := e.svc.Settle(ctx, e.now()); err != nil || n != 1 {
		t.Fatalf("settle: %d %v", n, err)
	}
	assertPaid(t, e, idOp, "P")
	if n, err := e.svc.Settle(ctx, e.now()); err != nil || n != 0 {
		t.Fatalf("settle again: %d %v", n, err)
	}
	assertPaid(t, e, idOp, "P")
}

// An order whose payer never chose stays pending (P5) until ExpireAfter;
// one PayFiP purged (P1) expires once PendingFor has passed. Neither pays.
func TestAbandonedOrdersExpire(t *testing.T) {
	e := newEnv(t, payfipsim.Options{})
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	idOp, _ := b.startPayment(csrf, invoice)
	e.later(21 * time.Minute)
	if n, err := e.svc.Settle(t.Context(), e.now()); err != nil || n != 0 {
		t.Fatalf("settle: %d %v", n, err)
	}
	assertNothingPaid(t, e, idOp, "created")
	e.later(time.Hour)
	if n, err := e.svc.Settle(t.Context(), e.now()); err != nil || n != 1 {
		t.Fatalf("settle: %d %v", n, err)
	}
	assertNothingPaid(t, e, idOp, "created,expired")

	idOp2, _ := b.startPayment(csrf, invoice)
	e.sim.Forget(idOp2)
	if out, err := e.svc.Check(t.Context(), idOp2); err != nil || out.State != "pending" {
		t.Fatalf("P1 at once: %+v %v", out, err)
	}
	e.later(21 * time.Minute)
	if n, err := e.svc.Settle(t.Context(), e.now()); err != nil || n != 1 {
		t.Fatalf("settle: %d %v", n, err)
	}
	if s := e.state(invoice, idOp2); s.states() != "created,expired" || len(s.payments) != 0 {
		t.Fatalf("purged order: %s, %d payments", s.states(), len(s.payments))
	}
}

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
	err := e.st.DB().QueryRow(`SELECT count(*) FROM payfip_orders`).Scan(&n)
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
		if _, err := e.st.DB().Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := e.st.DB().Exec(`INSERT INTO payfip_order_events (idop, state, at) VALUES (?, 'paid', 'x'), (?, 'paid', 'y')`, idOp, idOp); err == nil {
		t.Fatal("two paid events for one order")
	}
	assertNothingPaid(t, e, idOp, "created")
}
