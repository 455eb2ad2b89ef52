package main

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// city is one organisation of the tenancy test, with data that is its own
// and strings that say so: markers are what must never appear in an answer
// to the other city.
type city struct {
	org, host, name, regie string
	households, invoices   []string
	payments, receipts     []string
	staffIDs               []string
	counter, agentID       string
	enrolCode              string
	slipUnused             string // a linking slip nobody used
	publikOrig, publikKey  string
	admin, totpSecret      string
	markers                []string
}

// cityData is what differs between the two cities; everything else is
// the same on purpose (account "1", invoice numbers F1 and F2, counter
// C01), since a leak hides best behind equal keys.
type cityData struct {
	org, host, name, regieCode, regieName, family, word string
	amount1, amount2                                    regie.Money
}

// tenancyWorld is a server file with two cities, served by `serve` on one
// address, which the test's clients reach under each city's host.
type tenancyWorld struct {
	t      *testing.T
	db     string
	addr   string
	cities [2]*city
	// subject is the citizen linked to a household in each city.
	subject string
	st      *store.Store
}

const tenancyPassword = "mot-de-passe-de-test"

func newTenancyWorld(t *testing.T) *tenancyWorld {
	t.Helper()
	ctx := context.Background()
	w := &tenancyWorld{t: t, db: storetest.DB(t, "serveur"), subject: "fc-hlefevre"}
	st, err := store.Open(ctx, w.db)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range []cityData{
		{org: "ville", host: "ville-a.test", name: "Ville d'Aubrac", regieCode: "ENFA", regieName: "Enfance Aubrac",
			family: "Aubertin", word: "Alphonsine", amount1: 111_11, amount2: 133_33},
		{org: "ville-b", host: "ville-b.test", name: "Ville de Bréhat", regieCode: "ENFB", regieName: "Enfance Bréhat",
			family: "Bernardeau", word: "Bravissimo", amount1: 222_22, amount2: 244_44},
	} {
		w.cities[i] = w.seedCity(st, i, d)
	}
	st.Close()

	idp, err := auth.NewDevProvider("portail", "secret", demoCitizens)
	if err != nil {
		t.Fatal(err)
	}
	idpHTTP := httptest.NewServer(idp)
	t.Cleanup(idpHTTP.Close)
	idp.SetIssuer(idpHTTP.URL)
	w.addr = strings.TrimPrefix(freeAddr(t), "http://")
	for _, c := range w.cities {
		idp.RedirectURIs = append(idp.RedirectURIs, "http://"+c.host+"/connexion/retour", "http://"+c.host+"/deconnexion/fin")
	}
	idp.RedirectURIs = append(idp.RedirectURIs, "http://"+w.addr+"/connexion/retour", "http://"+w.addr+"/deconnexion/fin")
	a, b := w.cities[0], w.cities[1]
	vars := map[string]string{"REGIE_DB": w.db, "REGIE_ADDR": w.addr, "REGIE_PUBLIC_URL": "http://" + w.addr,
		"REGIE_INSECURE_COOKIES": "1", "REGIE_OIDC_ISSUER": idpHTTP.URL, "REGIE_OIDC_CLIENT_ID": "portail",
		"REGIE_OIDC_CLIENT_SECRET": "secret", "REGIE_CITY": "Nom de la configuration",
		"REGIE_PUBLIK_KEYS": a.publikOrig + "=" + a.publikKey + "," + b.publikOrig + "=" + b.publikKey + ",publik-x=cle-de-seize-caracteres-x",
		"REGIE_PUBLIK_ORGS": a.publikOrig + "=" + a.org + "," + b.publikOrig + "=" + b.org}
	if got := startServe(t, vars); got != "http://"+w.addr {
		t.Fatalf("serve listens on %s", got)
	}
	// The test's own look at the database, beside the server's.
	if w.st, err = store.Open(ctx, w.db); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.st.Close() })
	return w
}

// seedCity writes a city's organisation, régie, households (account "1"
// in both cities), invoices (numbers F1, F2 in both), a payment, staff,
// a counter waiting for enrolment and the citizen's link.
func (w *tenancyWorld) seedCity(st *store.Store, i int, d cityData) *city {
	t := w.t
	ctx := context.Background()
	c := &city{org: d.org, host: d.host, name: d.name, regie: d.regieCode, counter: "C01",
		publikOrig: "publik-" + d.org, publikKey: "cle-publik-de-" + d.org + "-assez-longue",
		admin: "chef-" + strings.ToLower(d.word), totpSecret: []string{"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"}[i]}
	hid := func(n int) string { return strings.ToUpper(d.regieCode[3:]) + "H" + string(rune('0'+n)) }
	iid := func(n int) string { return strings.ToUpper(d.regieCode[3:]) + "I" + string(rune('0'+n)) }
	now := time.Now()
	err := st.Update(ctx, func(tx *store.Tx) error {
		o := &store.Organisation{Code: d.org, Name: d.name, Host: d.host, Look: store.Look{Color: []string{"#1d4f91", "#7a1d91"}[i]}}
		if d.org == "ville" {
			if err := tx.SaveOrganisation(o); err != nil {
				return err
			}
		} else if err := tx.CreateOrganisation(o); err != nil {
			return err
		}
		r := store.NewRegieSettings(d.regieCode)
		r.Name, r.Modes = d.regieName, []regie.PaymentMode{regie.Cash, regie.Check, regie.Transfer, regie.DirectDebit, regie.Online}
		if err := tx.CreateRegieIn(d.org, &r); err != nil {
			return err
		}
		for n := 1; n <= 2; n++ {
			h := regie.Household{ID: hid(n), Account: []string{"", "1", "2"}[n], Name: "Famille " + d.family + []string{"", "", " Cadet"}[n],
				Members: []regie.Member{{FirstName: d.word, LastName: d.family, BirthDate: "1984-05-12", Holder: true}}}
			if err := tx.UpsertHouseholdIn(d.org, &h); err != nil {
				return err
			}
			c.households = append(c.households, h.ID)
		}
		for n, amount := range []regie.Money{d.amount1, d.amount2} {
			inv := regie.Invoice{ID: iid(n + 1), Number: "F" + string(rune('1'+n)), HouseholdID: hid(1), Amount: amount,
				Label: []string{"Cantine ", "Piscine "}[n] + d.word, IssuedOn: now.Format(time.DateOnly), DueOn: now.AddDate(0, 1, 0).Format(time.DateOnly),
				Lines: []regie.InvoiceLine{{Label: "Repas " + d.word, Beneficiary: d.word + " " + d.family, Amount: amount, Quantity: 1, UnitPrice: amount}}}
			if err := tx.UpsertInvoice(d.regieCode, &inv); err != nil {
				return err
			}
			c.invoices = append(c.invoices, inv.ID)
		}
		// A payment recorded outside desks: the second invoice paid by transfer.
		p, _, err := ledger.Record(tx, ledger.Request{Regie: d.regieCode, Channel: regie.ChannelBackOffice, Source: ledger.SourceBank,
			Key: "virement-" + d.word, HouseholdID: hid(1), Account: "1", Payer: "Payeur " + d.word,
			Tenders:     []regie.Tender{{Mode: regie.Transfer, Amount: d.amount2, Reference: "VIR-" + strings.ToUpper(d.word)}},
			Allocations: []regie.Allocation{{InvoiceID: iid(2), InvoiceNumber: "F2", Label: "Piscine " + d.word, Amount: d.amount2}}}, now)
		if err != nil {
			return err
		}
		c.payments, c.receipts = append(c.payments, p.ID), append(c.receipts, p.Receipt)
		// Staff: an administrator who also has every reading role, a régisseur.
		hash, _ := bcrypt.GenerateFromPassword([]byte(tenancyPassword), bcrypt.MinCost)
		for _, s := range []store.Staff{
			{ID: uuid.NewString(), Login: c.admin, Name: "Chef " + d.word, PasswordHash: string(hash), TOTPSecret: c.totpSecret, Org: d.org,
				Grants: []store.Grant{{Role: store.RoleAdmin}, {Role: store.RoleFinance}, {Role: store.RoleRegisseur, Regie: d.regieCode}}},
			{ID: uuid.NewString(), Login: "regisseur-" + d.org, Name: "Régisseur " + d.word, PasswordHash: string(hash), Org: d.org,
				Grants: []store.Grant{{Role: store.RoleRegisseur, Regie: d.regieCode}}},
		} {
			if err := tx.SaveStaff(&s, now); err != nil {
				return err
			}
			c.staffIDs = append(c.staffIDs, s.ID)
		}
		agent := regie.Agent{ID: uuid.NewString(), Login: "agent-" + strings.ToLower(d.word), Name: "Agent " + d.word,
			Role: regie.RoleMandataire, PINHash: string(hash), Active: true}
		if err := tx.SaveAgent(d.regieCode, &agent); err != nil {
			return err
		}
		c.agentID = agent.ID
		c.enrolCode = credential.NewEnrolCode()
		if _, err := tx.CreateCounter(regie.Counter{Code: c.counter, Regie: d.regieCode, Name: "Guichet " + d.word},
			credential.HashEnrolCode(c.enrolCode), now.Add(time.Hour), now); err != nil {
			return err
		}
		s, err := tx.CreateLinkSlip(store.SlipRequest{ID: uuid.NewString(), HouseholdID: hid(1), Org: d.org, Agent: "test",
			Document: "carte d'identité", At: now})
		if err != nil {
			return err
		}
		c.slipUnused = s.Code
		return nil
	})
	if err != nil {
		t.Fatalf("seed %s: %v", d.org, err)
	}
	// The citizen (one person) and a Publik user are linked to the
	// city's first household with the slips.
	for _, sub := range []string{w.subject, "publik:" + c.publikOrig + ":usager-1"} {
		code := ""
		err := st.Update(ctx, func(tx *store.Tx) error {
			s, err := tx.CreateLinkSlip(store.SlipRequest{ID: uuid.NewString(), HouseholdID: hid(1), Org: d.org, Agent: "test",
				Document: "carte d'identité", At: now})
			code = s.Code
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Portal().Link(ctx, portal.LinkRequest{Org: d.org, Subject: sub, Name: d.word + " " + d.family, SlipCode: code,
			At: now, Since: now.Add(-time.Hour), LimitIdentity: 5}); err != nil {
			t.Fatalf("link %s in %s: %v", sub, d.org, err)
		}
	}
	fmtAmount := func(m regie.Money) string { return strings.TrimSuffix(m.String(), " €") }
	c.markers = []string{d.family, d.word, d.regieName, d.name, fmtAmount(d.amount1), fmtAmount(d.amount2),
		c.receipts[0], c.admin, "VIR-" + strings.ToUpper(d.word)}
	for _, m := range []regie.Money{d.amount1, d.amount2} {
		c.markers = append(c.markers, ":"+strconv.FormatInt(int64(m), 10))
	}
	return c
}

// client is a browser that reaches every city's host on the one server:
// its own cookie jar, redirects followed, the provider's login page
// answered for the test's citizen.
func (w *tenancyWorld) client(follow bool) *http.Client {
	jar, _ := cookiejar.New(nil)
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{TLSClientConfig: &tls.Config{}, DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, _, _ := net.SplitHostPort(addr); strings.HasSuffix(host, ".test") {
			addr = w.addr // every city's address is this server
		}
		return dialer.DialContext(ctx, network, addr)
	}}
	c := &http.Client{Jar: jar, Transport: tr, Timeout: 20 * time.Second}
	subject := w.subject
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !follow {
			return http.ErrUseLastResponse
		}
		if strings.HasSuffix(req.URL.Path, "/authorize") && req.URL.Query().Get("login_hint") == "" {
			q := req.URL.Query()
			q.Set("login_hint", subject)
			req.URL.RawQuery = q.Encode()
		}
		return nil
	}
	return c
}
