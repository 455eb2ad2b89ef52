// Package e2e holds the tests that cross the whole chain in a real
// browser: a counter cashes a payment and syncs, a parent finds it on the
// portal in Debian's Chromium.
package e2e

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/app/demo"
	appstore "github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
	"github.com/regie-fr/regie/sync/client"
)

// TestPortalInBrowser: a payment cashed at counter C01 reaches the server;
// Hélène Lefèvre logs in through the local FranceConnect, links her
// household, sees the payment and downloads its receipt, on a phone and on
// a desktop, with no serious accessibility violation on any page.
// REGIE_PORTAL_SCREENSHOTS=DIR keeps the screenshots (make screenshots).
func TestPortalInBrowser(t *testing.T) {
	for _, tool := range []string{"node", "/usr/bin/chromium"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: make deps installs it (%v)", tool, err)
		}
	}
	if _, err := os.Stat("node_modules/playwright-core"); err != nil {
		t.Fatal("e2e/node_modules is missing: make deps runs npm ci in e2e/")
	}
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := store.Open(ctx, storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	servertest.Seed(t, srv)
	code := servertest.AddCounter(t, srv, "C01")

	idp, err := auth.NewDevProvider("portail", "secret", []auth.DevUser{
		{Subject: "fc-hlefevre", GivenName: "Hélène", FamilyName: "Lefèvre", BirthDate: "1984-05-12", Email: "h@example.fr"}})
	if err != nil {
		t.Fatal(err)
	}
	idpHTTP := httptest.NewServer(idp)
	t.Cleanup(idpHTTP.Close)
	idp.SetIssuer(idpHTTP.URL)

	mux := http.NewServeMux()
	web := httptest.NewUnstartedServer(mux)
	web.Start()
	t.Cleanup(web.Close)
	idp.RedirectURIs = []string{web.URL + "/connexion/retour", web.URL + "/deconnexion/fin"}
	rp, err := auth.NewOIDC(auth.OIDCConfig{Issuer: idpHTTP.URL, ClientID: "portail", ClientSecret: "secret",
		RedirectURL: web.URL + "/connexion/retour", PostLogoutRedirectURL: web.URL + "/deconnexion/fin"})
	if err != nil {
		t.Fatal(err)
	}
	ph, err := portal.New(portal.Config{BaseURL: web.URL, City: "Ville de Montaigu-sur-Loire", InsecureCookies: true, Logger: quiet,
		Sessions: srv.PortalSessions()}, srv.Portal(), rp)
	if err != nil {
		t.Fatal(err)
	}
	apiH := api.New(srv, api.Options{Logger: quiet})
	mux.Handle("/api/", apiH)
	mux.Handle("/", ph)

	// Counter C01 enrols, cashes an invoice of the Lefèvre household, syncs.
	cst, err := appstore.Open(ctx, filepath.Join(t.TempDir(), "caisse.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cst.Close() })
	c := app.New(app.Adapt(cst), app.WithLocation(apptest.Paris))
	sc := client.New(c, client.Options{})
	if _, err := sc.Enrol(ctx, web.URL, code); err != nil {
		t.Fatal(err)
	}
	if err := sc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	a := apptest.Login(t, c, demo.MandataireLogin, demo.MandatairePIN)
	apptest.Open(t, c, a, 150_00)
	if _, err := c.RecordPayment(ctx, a, app.PaymentRequest{HouseholdID: "h-0001",
		Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: 20_00}, {Mode: regie.Check, Amount: 41_60, CheckNumber: "0004512", Bank: "Crédit Mutuel", Drawer: "Hélène Lefèvre"}},
		Allocations: []regie.Allocation{{InvoiceID: "i-0001-1", Amount: 61_60}}}); err != nil {
		t.Fatal(err)
	}
	if err := sc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	// And the payments that never pass a desk: a transfer matched from the
	// bank statement, a payment online.
	err = srv.Update(ctx, func(tx *store.Tx) error {
		for _, req := range []ledger.Request{
			{Regie: "ENF", Channel: regie.ChannelBackOffice, Source: ledger.SourceBank, Key: "2026120300042", HouseholdID: "h-0001",
				Tenders:     []regie.Tender{{Mode: regie.Transfer, Amount: 32_00, Reference: "2026120300042"}},
				Allocations: []regie.Allocation{{InvoiceID: "i-0001-2", Label: "Accueil périscolaire", Amount: 32_00}}},
			{Regie: "ENF", Channel: regie.ChannelOnline, Source: ledger.SourcePayFiP, Key: "IDOP-E2E-1", HouseholdID: "h-0001",
				Tenders:     []regie.Tender{{Mode: regie.Online, Amount: 50_00, Reference: "IDOP-E2E-1", Authorisation: "412345"}},
				Allocations: []regie.Allocation{{InvoiceID: "i-0001-3", Label: "Centre de loisirs", Amount: 50_00}}},
		} {
			if _, _, err := ledger.Record(tx, req, time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	shots := os.Getenv("REGIE_PORTAL_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if shots, err = filepath.Abs(shots); err != nil {
		t.Fatal(err)
	}
	cmdCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cmdCtx, "node", "portal.mjs", web.URL, shots)
	out, err := cmd.CombinedOutput()
	t.Logf("browser:\n%s", out)
	if err != nil {
		t.Fatalf("the browser test failed: %v", err)
	}
	pages, downloads := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r struct {
			Page, Title, Download, Error string
			Bytes                        int
		}
		if json.Unmarshal([]byte(line), &r) != nil {
			continue
		}
		switch {
		case r.Error != "":
			t.Errorf("browser: %s", r.Error)
		case r.Page != "":
			pages++
			if r.Title == "" {
				t.Errorf("page %s has no title", r.Page)
			}
		case r.Download != "":
			downloads++
		}
	}
	if pages < 10 || downloads != 2 {
		t.Fatalf("%d pages checked and %d receipts downloaded, want 11 and 2", pages, downloads)
	}
}
