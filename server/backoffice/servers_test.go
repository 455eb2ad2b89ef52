package backoffice

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/store"
)

// serversWorld has, on ENF's server counters, yesterday's online payment
// and transfer (their day closed by itself) and today's transfer entered in
// the back-office.
func serversWorld(t *testing.T) (*fixture, string) {
	f := newFixture(t)
	yesterday := time.Now().Add(-24 * time.Hour)
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		for _, req := range []ledger.Request{
			{Channel: regie.ChannelOnline, Source: ledger.SourcePayFiP, Key: "op-1", HouseholdID: "h-0003",
				Tenders:     []regie.Tender{{Mode: regie.Online, Amount: 32_00, Reference: "PAYFIP-1"}},
				Allocations: []regie.Allocation{{InvoiceID: "i-0003-2", InvoiceNumber: "FAC-2026-00302", Label: "Accueil", Amount: 32_00}}},
			{Channel: regie.ChannelBackOffice, Source: ledger.SourceBank, Key: "bank-1", HouseholdID: "h-0004",
				Tenders:     []regie.Tender{{Mode: regie.DirectDebit, Amount: 50_00, Reference: "PRLV-1"}},
				Allocations: []regie.Allocation{{InvoiceID: "i-0004-3", InvoiceNumber: "FAC-2026-00403", Label: "Loisirs", Amount: 50_00}}},
		} {
			req.Regie = "ENF"
			if _, _, err := ledger.Record(tx, req, yesterday); err != nil {
				return err
			}
		}
		_, err := ledger.CloseDays(tx, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b := f.login("mdupont", "regisseur-demo")
	if res, body := b.postEntry(b.entryForm("ENF", "h-0001", "i-0001-1", "61,60")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("entry: %d %.300s", res.StatusCode, body)
	}
	return f, yesterday.In(location("Europe/Paris")).Format(time.DateOnly)
}

// TestServerCounters: the régisseur sees each server counter's day per
// mode, its last payments and the days it closed by itself, with their Z
// reports; no desk figure (cash, float, deposits) appears. The
// administrator sees the figures without the households; another régie's
// régisseur sees nothing of ENF.
func TestServerCounters(t *testing.T) {
	f, yesterday := serversWorld(t)
	b := f.login("mdupont", "regisseur-demo")
	res, body := b.get("/gestion/postes-serveur")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	contains(t, body, "GESTION", "ENLIGNE", "Virement", "61,60", "R-ENF-GESTION-2026-000002", "Lefèvre Hélène",
		"Journées closes automatiquement", "/gestion/clotures/ENF-GESTION/"+yesterday+"/z.pdf",
		"/gestion/clotures/ENF-ENLIGNE/"+yesterday+"/z.pdf", "Paiement en ligne")
	for _, desk := range []string{"Espèces", "Fonds de caisse", "Dernier versement", "Chèques", "plafond"} {
		if strings.Contains(body, desk) {
			t.Errorf("server counters page shows %q", desk)
		}
	}

	admin := f.sessionFor(f.addStaff("adm", "Administrateur", store.Grant{Role: store.RoleAdmin}))
	_, body = admin.get("/gestion/postes-serveur")
	contains(t, body, "GESTION", "61,60")
	for _, private := range []string{"Lefèvre", "Benali", "Derniers paiements"} {
		if strings.Contains(body, private) {
			t.Errorf("administrator sees %q", private)
		}
	}

	pis := f.login("pisreg", "pisreg-pass")
	_, body = pis.get("/gestion/postes-serveur")
	if strings.Contains(body, "Enfance") || strings.Contains(body, "61,60") {
		t.Error("PIS régisseur sees ENF's server counters")
	}
}

// TestServerCounterClosing: a server counter's day closed by itself is
// listed among the closings without a cash count, and its Z report reads
// as a server counter's: totals per mode and the day's journal, no
// billetage nor cash to count.
func TestServerCounterClosing(t *testing.T) {
	f, yesterday := serversWorld(t)
	b := f.login("mdupont", "regisseur-demo")
	_, body := b.get("/gestion/clotures?regie=ENF&du=" + yesterday + "&au=" + yesterday)
	contains(t, body, "GESTION", "ENLIGNE", "sans espèces")
	res, pdf := b.get("/gestion/clotures/ENF-GESTION/" + yesterday + "/z.pdf")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("Z report: %d", res.StatusCode)
	}
	text := pdfText(t, []byte(pdf))
	for _, want := range []string{"Arrêté de caisse", "Prélèvement", "50,00", "R-ENF-GESTION-2026-000001",
		"Clôture automatique", "ni espèces", "Relevé bancaire"} {
		if !strings.Contains(text, want) {
			t.Errorf("Z report lacks %q:\n%s", want, text)
		}
	}
	for _, desk := range []string{"Billetage", "Espèces attendues", "Total du terminal", "Chèques à remettre"} {
		if strings.Contains(text, desk) {
			t.Errorf("Z report of a server counter shows %q", desk)
		}
	}
}

// TestServerCounterPendingDay: a past day the server has not closed yet
// (the closing chore has not run) is announced on the page.
func TestServerCounterPendingDay(t *testing.T) {
	f := newFixture(t)
	yesterday := time.Now().Add(-24 * time.Hour)
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		_, _, err := ledger.Record(tx, ledger.Request{Regie: "ENF", Channel: regie.ChannelOnline, Source: ledger.SourcePublik,
			Key: "pub-1", HouseholdID: "h-0005", Tenders: []regie.Tender{{Mode: regie.Online, Amount: 32_00, Reference: "PUB-1"}},
			Allocations: []regie.Allocation{{InvoiceID: "i-0005-2", Label: "Accueil", Amount: 32_00}}}, yesterday)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b := f.login("mdupont", "regisseur-demo")
	_, body := b.get("/gestion/postes-serveur")
	contains(t, body, "en attente de clôture automatique : "+yesterday.In(location("Europe/Paris")).Format("02/01/2006"),
		"Aucune journée close pour l'instant.")
}

// TestPayFiPAnomaliesShown: an order PayFiP answered with another amount
// is listed for the régie's régisseur on the server counters' page, and
// for nobody who may not see the régie's payments.
func TestPayFiPAnomaliesShown(t *testing.T) {
	f, _ := serversWorld(t)
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		o := &store.PayFiPOrder{IdOp: "idop-anomalie-1", Regie: "ENF", Numcli: "000000", HouseholdID: "h-0002",
			InvoiceID: "i-0002-1", InvoiceNumber: "FAC-2026-00201", Refdet: "FAC202600201", Amount: 61_60, CreatedAt: time.Now()}
		if err := tx.InsertPayFiPOrder(o); err != nil {
			return err
		}
		return tx.AppendPayFiPEvent(o.IdOp, store.PayFiPEvent{State: store.PayFiPAnomaly, Result: "P",
			Note: "PayFiP indique 6,16 € payés pour une commande de 61,60 €.", At: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	_, body := f.login("mdupont", "regisseur-demo").get("/gestion/postes-serveur")
	contains(t, body, "1 paiement PayFiP à examiner", "idop-anomalie-1", "FAC-2026-00201", "6,16 € payés")
	for _, who := range [][2]string{{"pisreg", "pisreg-pass"}} {
		if _, body := f.login(who[0], who[1]).get("/gestion/postes-serveur"); strings.Contains(body, "idop-anomalie-1") {
			t.Errorf("%s sees ENF's PayFiP anomaly", who[0])
		}
	}
	adm := f.admin()
	if _, body := adm.get("/gestion/postes-serveur"); strings.Contains(body, "idop-anomalie-1") || strings.Contains(body, "FAC-2026-00201") {
		t.Error("the administrator sees a household's PayFiP order")
	}
}
