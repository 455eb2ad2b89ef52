package payfipsim_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/payfip"
	"github.com/regie-fr/regie/server/payfip/payfipsim"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// TestDemo pays the demo invoice online with the portal's server not
// listening (the notification fails): the status call records it on the
// online counter, the journals still verify, and a second demo run pays
// nothing more.
func TestDemo(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	servertest.Seed(t, st)
	sim := payfipsim.New(payfipsim.Options{})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	svc := payfip.NewService(payfip.Config{Store: st, Saisie: "T", PublicURL: "http://127.0.0.1:1",
		Client: payfip.NewClient(payfip.ClientConfig{BaseURL: payfipsim.BaseURL(srv.URL), Timeout: 5 * time.Second})})
	idOp, err := payfipsim.Demo(ctx, st, svc, sim)
	if err != nil {
		t.Fatal(err)
	}
	sim.Wait()
	if _, err := payfipsim.Demo(ctx, st, svc, sim); err == nil {
		t.Fatal("the demo invoice was paid twice")
	}
	ids, err := st.InvoicePayments(ctx, payfipsim.DemoInvoice)
	if err != nil || len(ids) != 1 || ids[0] != ledger.PaymentID("ENF", ledger.SourcePayFiP, idOp) {
		t.Fatalf("payments %v %v", ids, err)
	}
	d, err := st.PaymentDetail(ctx, []string{"ENF"}, ids[0])
	if err != nil || d.Payment.Counter != "ENLIGNE" || d.Payment.Total != 32_00 {
		t.Fatalf("payment %+v %v", d, err)
	}
	reports, err := st.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		if r.Broken != nil || len(r.Problems) > 0 {
			t.Fatalf("verify %s/%s: %+v %+v", r.Regie, r.Counter, r.Broken, r.Problems)
		}
	}
}
