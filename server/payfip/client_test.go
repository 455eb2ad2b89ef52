package payfip

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseDetailAnswer(t *testing.T) {
	d, err := ParseDetailAnswer(readFile(t, "detail_paid.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want := Detail{IdOp: "cc0cb210-1cd4-11ea-8cca-0213ad91a103", Numcli: "090909", Exer: "2019", Refdet: "EFEFAEFG", Objet: "coucou",
		Mel: "john.doe@example.com", Amount: 10_00, Result: PaidDebit, Authorisation: "112233445566-tip", Saisie: "T",
		Date: "12122019", Time: "1311", At: time.Date(2019, 12, 12, 13, 11, 0, 0, paris)}
	if !d.At.Equal(want.At) {
		t.Fatalf("at %v", d.At)
	}
	d.At = want.At
	if *d != want {
		t.Fatalf("detail %+v", d)
	}
	// The same answer with its fields in the "reponse" namespace.
	d, err = ParseDetailAnswer(readFile(t, "detail_qualified.xml"))
	if err != nil || d.Amount != 61_60 || d.Result != PaidCard || d.Refdet != "FAC202600101" || d.At.Hour() != 9 {
		t.Fatalf("qualified: %+v %v", d, err)
	}
}

func TestParseFaults(t *testing.T) {
	for _, c := range []struct {
		file    string
		pending bool
		unknown bool
		code    string
	}{{"fault_p5.xml", true, false, "P5"}, {"fault_p1.xml", false, true, "P1"}, {"fault_r3.xml", false, false, "R3"}} {
		_, err := ParseDetailAnswer(readFile(t, c.file))
		var f *Fault
		if !errors.As(err, &f) || f.Code != c.code || f.Kind != "FonctionnelleErreur" || errors.Is(err, ErrPending) != c.pending ||
			errors.Is(err, ErrUnknownOperation) != c.unknown {
			t.Fatalf("%s: %v", c.file, err)
		}
	}
	if idOp, err := ParseCreateAnswer(readFile(t, "create_ok.xml")); err != nil || idOp != "cc0cb210-1cd4-11ea-8cca-0213ad91a103" {
		t.Fatalf("create: %q %v", idOp, err)
	}
	for _, bad := range []string{"", "not xml", "<a/>", `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body/></S:Envelope>`,
		strings.Replace(string(readFile(t, "detail_paid.xml")), "<montant>1000", "<montant>10.00", 1),
		strings.Replace(string(readFile(t, "detail_paid.xml")), "<montant>1000", "<montant>-1000", 1),
		strings.Replace(string(readFile(t, "detail_paid.xml")), "cc0cb210-1cd4-11ea-8cca-0213ad91a103", "x y", 1),
		strings.Repeat(" ", maxAnswer+1)} {
		if _, err := ParseDetailAnswer([]byte(bad)); err == nil || !errors.Is(err, errMalformed) {
			t.Fatalf("%.60q: %v", bad, err)
		}
	}
}

// The request envelope is the WSDL's: the operation in the service
// namespace, arg0 and its fields unqualified, every value escaped.
func TestCreateEnvelope(t *testing.T) {
	body, err := createEnvelope(&CreateRequest{Exer: "2026", Mel: "a<b>@c.fr", Montant: 6160, Numcli: "123456", Objet: "FAC 2026",
		Refdet: "FAC202600101", Saisie: "T", URLNotif: "https://p/n?a=1&b=2", URLRedirect: "https://p/r"})
	if err != nil {
		t.Fatal(err)
	}
	s := string(body)
	for _, want := range []string{`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pai="` + NSService + `">`,
		`<pai:creerPaiementSecurise><arg0><exer>2026</exer><mel>a&lt;b&gt;@c.fr</mel><montant>6160</montant><numcli>123456</numcli>`,
		`<urlnotif>https://p/n?a=1&amp;b=2</urlnotif>`} {
		if !strings.Contains(s, want) {
			t.Fatalf("envelope lacks %s:\n%s", want, s)
		}
	}
	var back struct {
		Arg0 CreateRequest `xml:"Body>creerPaiementSecurise>arg0"`
	}
	if err := xml.Unmarshal(body, &back); err != nil || back.Arg0.Mel != "a<b>@c.fr" || back.Arg0.URLNotif != "https://p/n?a=1&b=2" {
		t.Fatalf("round trip: %+v %v", back, err)
	}
}

// The client gives up on a slow service, and reports what is not the
// service's answer as ErrUnavailable with a French sentence for people.
func TestClientFailures(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"slow": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		},
		"503": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
		},
		"html":   func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html><body>Erreur</body></html>") },
		"large":  func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(strings.Repeat("<a>", maxAnswer))) },
		"closed": func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) },
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			c := NewClient(ClientConfig{BaseURL: srv.URL, Timeout: 300 * time.Millisecond})
			start := time.Now()
			_, err := c.Detail(context.Background(), "cc0cb210-1cd4-11ea-8cca-0213ad91a103")
			if !errors.Is(err, ErrUnavailable) || time.Since(start) > 5*time.Second {
				t.Fatalf("err %v after %v", err, time.Since(start))
			}
			if msg := French(err); !strings.Contains(msg, "ne répond pas") {
				t.Fatalf("French: %q", msg)
			}
		})
	}
}

// A refusal from the service reaches people as a French sentence with its
// code; the SOAP fault comes with HTTP 500, as JAX-WS sends it.
func TestClientFault(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") != "text/xml; charset=utf-8" || r.Method != http.MethodPost || r.URL.Path != "/tpa/services/securite" {
			t.Errorf("request %s %s %s", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		w.WriteHeader(http.StatusInternalServerError)
		w.Write(readFile(t, "fault_r3.xml"))
	}))
	defer srv.Close()
	c := NewClient(ClientConfig{BaseURL: srv.URL + "/tpa"})
	_, err := c.Create(context.Background(), &CreateRequest{Refdet: "ABCD"})
	var f *Fault
	if !errors.As(err, &f) || f.Code != "R3" || !strings.Contains(French(err), "(R3)") {
		t.Fatalf("err %v", err)
	}
	if got := c.PaymentURL("a b"); got != srv.URL+"/tpa/paiementws.web?idop=a+b" || c.PageOrigin() != srv.URL {
		t.Fatalf("payment URL %s, origin %s", got, c.PageOrigin())
	}
	var re *regie.Error
	if errors.As(err, &re) {
		t.Fatal("a fault is not a domain error")
	}
}

func TestRefdetAndObjet(t *testing.T) {
	for _, c := range []struct{ number, id, want string }{
		{"FAC-2026-00101", "i-1", "FAC202600101"},
		{"F-1", "i-0001-1", "i00011"},
		{"1", "2", "000002"},
		{"FAC/2026/" + strings.Repeat("9", 40), "x", strings.Repeat("9", 30)},
	} {
		if got := Refdet(c.number, c.id); got != c.want {
			t.Errorf("Refdet(%q, %q) = %q, want %q", c.number, c.id, got, c.want)
		}
	}
	if got := Objet("FAC-2026-00101 Régie Enfance – Ville de Montaigu-sur-Loire"); got != "fac 2026 00101 regie enfance ville de montaigu sur loire" {
		t.Errorf("Objet = %q", got)
	}
	if got := Objet(strings.Repeat("é", 300)); len(got) != 100 {
		t.Errorf("Objet too long: %d", len(got))
	}
}
