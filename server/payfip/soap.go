package payfip

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// The XML namespaces of the PaiementSecuriseService (docs/payfip.md §2).
const (
	NSEnvelope = "http://schemas.xmlsoap.org/soap/envelope/"
	NSService  = "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService"
)

// maxAnswer bounds a web service answer: the real ones are under 2 KB.
const maxAnswer = 64 << 10

// CreateRequest is creerPaiementSecurise's arg0, in the WSDL's order.
type CreateRequest struct {
	Exer        string `xml:"exer"`
	Mel         string `xml:"mel"`
	Montant     int64  `xml:"montant"`
	Numcli      string `xml:"numcli"`
	Objet       string `xml:"objet,omitempty"`
	Refdet      string `xml:"refdet"`
	Saisie      string `xml:"saisie"`
	URLNotif    string `xml:"urlnotif"`
	URLRedirect string `xml:"urlredirect"`
}

// requestEnvelope is what the client sends: the operation's element in the
// service namespace (prefix pai), its arg0 and arg0's children unqualified,
// as the WSDL's document/literal binding and eopayment's zeep calls write.
type requestEnvelope struct {
	XMLName xml.Name `xml:"soapenv:Envelope"`
	Soapenv string   `xml:"xmlns:soapenv,attr"`
	Pai     string   `xml:"xmlns:pai,attr"`
	Header  struct{} `xml:"soapenv:Header"`
	Body    struct {
		Create *createCall `xml:"pai:creerPaiementSecurise,omitempty"`
		Detail *detailCall `xml:"pai:recupererDetailPaiementSecurise,omitempty"`
	} `xml:"soapenv:Body"`
}

type createCall struct {
	Arg0 CreateRequest `xml:"arg0"`
}

type detailCall struct {
	Arg0 struct {
		IdOp string `xml:"idOp"`
	} `xml:"arg0"`
}

func marshalEnvelope(env *requestEnvelope) ([]byte, error) {
	env.Soapenv, env.Pai = NSEnvelope, NSService
	out, err := xml.Marshal(env)
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), out...), nil
}

// createEnvelope is the SOAP request of creerPaiementSecurise.
func createEnvelope(req *CreateRequest) ([]byte, error) {
	env := &requestEnvelope{}
	env.Body.Create = &createCall{Arg0: *req}
	return marshalEnvelope(env)
}

// detailEnvelope is the SOAP request of recupererDetailPaiementSecurise.
func detailEnvelope(idOp string) ([]byte, error) {
	env := &requestEnvelope{}
	env.Body.Detail = &detailCall{}
	env.Body.Detail.Arg0.IdOp = idOp
	return marshalEnvelope(env)
}

// answerEnvelope is what the service answers. Elements below the
// operation's response are matched by local name only: PayFiP writes them
// unqualified, other implementations in the "reponse" namespace.
type answerEnvelope struct {
	XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Body    struct {
		Fault  *soapFault `xml:"http://schemas.xmlsoap.org/soap/envelope/ Fault"`
		Create *struct {
			Return struct {
				IdOp string `xml:"idOp"`
			} `xml:"return"`
		} `xml:"creerPaiementSecuriseResponse"`
		Detail *struct {
			Return detailXML `xml:"return"`
		} `xml:"recupererDetailPaiementSecuriseResponse"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

type soapFault struct {
	Code   string `xml:"faultcode"`
	String string `xml:"faultstring"`
	Detail struct {
		Errors []faultDetail `xml:",any"`
	} `xml:"detail"`
}

// faultDetail is one of the service's typed errors (FonctionnelleErreur,
// TechDysfonctionnementErreur, TechIndisponibiliteErreur,
// TechProtocolaireErreur), all with the same children.
type faultDetail struct {
	XMLName    xml.Name
	Code       string `xml:"code"`
	Libelle    string `xml:"libelle"`
	Descriptif string `xml:"descriptif"`
	Message    string `xml:"message"`
	Severite   string `xml:"severite"`
}

// detailXML is recupererDetailPaiementSecurise's return, as text.
type detailXML struct {
	Dattrans   string `xml:"dattrans"`
	Exer       string `xml:"exer"`
	Heurtrans  string `xml:"heurtrans"`
	IdOp       string `xml:"idOp"`
	Mel        string `xml:"mel"`
	Montant    string `xml:"montant"`
	Numauto    string `xml:"numauto"`
	Numcli     string `xml:"numcli"`
	Objet      string `xml:"objet"`
	Refdet     string `xml:"refdet"`
	Resultrans string `xml:"resultrans"`
	Saisie     string `xml:"saisie"`
}

// errMalformed is an answer that is not the SOAP the service speaks.
var errMalformed = errors.New("payfip: malformed answer")

// decodeAnswer reads a SOAP answer; a SOAP fault is returned as *Fault.
func decodeAnswer(body []byte) (*answerEnvelope, error) {
	if len(body) > maxAnswer {
		return nil, fmt.Errorf("%w: %d bytes", errMalformed, len(body))
	}
	var env answerEnvelope
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	if err := d.Decode(&env); err != nil {
		return nil, fmt.Errorf("%w: %v", errMalformed, err)
	}
	if f := env.Body.Fault; f != nil {
		out := &Fault{FaultCode: strings.TrimSpace(f.Code), FaultString: strings.TrimSpace(f.String)}
		for _, e := range f.Detail.Errors {
			if strings.TrimSpace(e.Code) == "" {
				continue
			}
			out.Kind, out.Code = e.XMLName.Local, strings.TrimSpace(e.Code)
			out.Label, out.Description = strings.TrimSpace(e.Libelle), strings.TrimSpace(e.Descriptif)
			out.Severity = strings.TrimSpace(e.Severite)
			break
		}
		return nil, out
	}
	return &env, nil
}

// ParseCreateAnswer reads creerPaiementSecurise's answer: the idOp, or the
// service's *Fault.
func ParseCreateAnswer(body []byte) (string, error) {
	env, err := decodeAnswer(body)
	if err != nil {
		return "", err
	}
	if env.Body.Create == nil {
		return "", fmt.Errorf("%w: no creerPaiementSecuriseResponse", errMalformed)
	}
	idOp := strings.TrimSpace(env.Body.Create.Return.IdOp)
	if !validIdOp(idOp) {
		return "", fmt.Errorf("%w: idOp %q", errMalformed, idOp)
	}
	return idOp, nil
}

// ParseDetailAnswer reads recupererDetailPaiementSecurise's answer: the
// transaction's detail, or the service's *Fault (ErrPending for P5,
// ErrUnknownOperation for P1).
func ParseDetailAnswer(body []byte) (*Detail, error) {
	env, err := decodeAnswer(body)
	if err != nil {
		return nil, err
	}
	if env.Body.Detail == nil {
		return nil, fmt.Errorf("%w: no recupererDetailPaiementSecuriseResponse", errMalformed)
	}
	x := env.Body.Detail.Return
	d := &Detail{IdOp: strings.TrimSpace(x.IdOp), Numcli: strings.TrimSpace(x.Numcli), Exer: strings.TrimSpace(x.Exer),
		Refdet: strings.TrimSpace(x.Refdet), Objet: strings.TrimSpace(x.Objet), Mel: strings.TrimSpace(x.Mel),
		Result: Result(strings.TrimSpace(x.Resultrans)), Authorisation: strings.TrimSpace(x.Numauto),
		Saisie: strings.TrimSpace(x.Saisie), Date: strings.TrimSpace(x.Dattrans), Time: strings.TrimSpace(x.Heurtrans)}
	if !validIdOp(d.IdOp) {
		return nil, fmt.Errorf("%w: idOp %q", errMalformed, d.IdOp)
	}
	if d.Amount, err = parseMontant(strings.TrimSpace(x.Montant)); err != nil {
		return nil, err
	}
	if len(d.Authorisation) > 64 || len(d.Refdet) > 64 || len(d.Numcli) > 16 {
		return nil, fmt.Errorf("%w: field too long", errMalformed)
	}
	d.At = transactionTime(d.Date, d.Time)
	return d, nil
}

// parseMontant reads an amount in cents: digits only, as PayFiP writes it.
func parseMontant(s string) (regie.Money, error) {
	if s == "" || len(s) > 12 {
		return 0, fmt.Errorf("%w: montant %q", errMalformed, s)
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%w: montant %q", errMalformed, s)
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: montant %q", errMalformed, s)
	}
	return regie.Money(n), nil
}

// paris is PayFiP's clock: dattrans and heurtrans are French legal time.
var paris = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.UTC
}()

// transactionTime reads dattrans (DDMMYYYY) and heurtrans (HHMM); the zero
// time when either is missing or malformed (it is shown, never trusted).
func transactionTime(date, hm string) time.Time {
	t, err := time.ParseInLocation("020120061504", date+hm, paris)
	if err != nil || len(date) != 8 || len(hm) != 4 {
		return time.Time{}
	}
	return t
}

// validIdOp accepts what PayFiP makes: a UUID, and nothing that could not
// travel in a URL or a log line as it is.
func validIdOp(s string) bool {
	if len(s) < 8 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-') {
			return false
		}
	}
	return true
}
