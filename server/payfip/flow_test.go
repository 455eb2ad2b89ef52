package payfip_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/payfip/payfipsim"
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
	if r := b.get("/payfip/retour?idop=" + idOp); !strings.Contains(r.body, "pas encore la confirmation") {
		t.Fatalf("pending page: %s", r.body)
	}
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
	if r := b.get("/payfip/retour?idop=" + idOp); !strings.Contains(r.body, "n'a pas abouti") {
		t.Fatalf("expired page: %s", r.body)
	}

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

// PayFiP unreachable: the citizen is told, nothing is recorded, and the
// order is settled once PayFiP answers again.
func TestPayFiPDown(t *testing.T) {
	e := newEnv(t, payfipsim.Options{DropNotification: true})
	b := e.browser()
	csrf := b.login(helene, "K7Q101X")
	idOp, page := b.startPayment(csrf, invoice)
	done := b.choose(page, "carte")
	h := e.simSrv.Config.Handler
	e.simSrv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	})
	back := b.goBack(done)
	if !strings.Contains(back.body, "ne répond pas") || !strings.Contains(back.body, "pas encore la confirmation") {
		t.Fatalf("return page: %s", back.body)
	}
	if r := e.browser().do(http.MethodPost, "/payfip/notification", url.Values{"idop": {idOp}}); r.StatusCode != http.StatusBadGateway {
		t.Fatalf("notification: %d", r.StatusCode)
	}
	if r := b.do(http.MethodPost, "/factures/i-0001-2/payer", url.Values{"csrf": {csrf}}); r.StatusCode != http.StatusBadGateway ||
		!strings.Contains(r.body, "ne répond pas") {
		t.Fatalf("new order: %d %s", r.StatusCode, r.body)
	}
	assertNothingPaid(t, e, idOp, "created")
	e.simSrv.Config.Handler = h
	e.later(21 * time.Minute)
	if n, err := e.svc.Settle(t.Context(), e.now()); err != nil || n != 1 {
		t.Fatalf("settle: %d %v", n, err)
	}
	assertPaid(t, e, idOp, "P")
}
