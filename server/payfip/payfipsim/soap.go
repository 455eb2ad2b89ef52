package payfipsim

import (
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/regie-fr/regie/server/payfip"
)

// callEnvelope is a request to the web service, read by local names (the
// operation element is in the service namespace, arg0 unqualified).
type callEnvelope struct {
	XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Body    struct {
		Create *struct {
			Arg0 payfip.CreateRequest `xml:"arg0"`
		} `xml:"creerPaiementSecurise"`
		Detail *struct {
			Arg0 struct {
				IdOp string `xml:"idOp"`
			} `xml:"arg0"`
		} `xml:"recupererDetailPaiementSecurise"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

// answer is the service's answer as JAX-WS writes it: prefix S for the
// envelope, ns2 for the operation, children unqualified.
type answer struct {
	XMLName xml.Name `xml:"S:Envelope"`
	S       string   `xml:"xmlns:S,attr"`
	Body    struct {
		Create *createAnswer `xml:"ns2:creerPaiementSecuriseResponse,omitempty"`
		Detail *detailAnswer `xml:"ns2:recupererDetailPaiementSecuriseResponse,omitempty"`
		Fault  *faultAnswer  `xml:"S:Fault,omitempty"`
	} `xml:"S:Body"`
}

type createAnswer struct {
	NS2  string `xml:"xmlns:ns2,attr"`
	IdOp string `xml:"return>idOp"`
}

type detailAnswer struct {
	NS2    string       `xml:"xmlns:ns2,attr"`
	Return detailReturn `xml:"return"`
}

type detailReturn struct {
	Dattrans   string `xml:"dattrans"`
	Exer       string `xml:"exer"`
	Heurtrans  string `xml:"heurtrans"`
	IdOp       string `xml:"idOp"`
	Mel        string `xml:"mel"`
	Montant    int64  `xml:"montant"`
	Numauto    string `xml:"numauto"`
	Numcli     string `xml:"numcli"`
	Objet      string `xml:"objet"`
	Refdet     string `xml:"refdet"`
	Resultrans string `xml:"resultrans"`
	Saisie     string `xml:"saisie"`
}

type faultAnswer struct {
	Code   string `xml:"faultcode"`
	String string `xml:"faultstring"`
	Detail struct {
		Err faultError `xml:"ns2:FonctionnelleErreur"`
	} `xml:"detail"`
}

type faultError struct {
	NS2        string `xml:"xmlns:ns2,attr"`
	Code       string `xml:"code"`
	Descriptif string `xml:"descriptif"`
	Libelle    string `xml:"libelle"`
	Message    string `xml:"message"`
	Severite   string `xml:"severite"`
}

// serveSOAP answers the two operations.
func (s *Sim) serveSOAP(w http.ResponseWriter, r *http.Request) {
	var call callEnvelope
	if err := xml.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&call); err != nil {
		s.writeFault(w, "T1", "Requête SOAP illisible.")
		return
	}
	var a answer
	switch {
	case call.Body.Create != nil:
		idOp, code, msg := s.create(&call.Body.Create.Arg0)
		if code != "" {
			s.writeFault(w, code, msg)
			return
		}
		a.Body.Create = &createAnswer{NS2: payfip.NSService, IdOp: idOp}
	case call.Body.Detail != nil:
		d, code, msg := s.detail(strings.TrimSpace(call.Body.Detail.Arg0.IdOp))
		if code != "" {
			s.writeFault(w, code, msg)
			return
		}
		a.Body.Detail = &detailAnswer{NS2: payfip.NSService, Return: *d}
	default:
		s.writeFault(w, "T2", "Opération inconnue.")
		return
	}
	s.write(w, http.StatusOK, &a)
}

func (s *Sim) writeFault(w http.ResponseWriter, code, label string) {
	var a answer
	a.Body.Fault = &faultAnswer{Code: "S:Server", String: "fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur"}
	a.Body.Fault.Detail.Err = faultError{NS2: payfip.NSService, Code: code, Libelle: label, Severite: "2"}
	s.write(w, http.StatusInternalServerError, &a)
}

func (s *Sim) write(w http.ResponseWriter, status int, a *answer) {
	a.S = payfip.NSEnvelope
	out, err := xml.Marshal(a)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(xml.Header))
	w.Write(out)
}

// detailOf is a transaction's detail once it has a result.
func detailOf(o *order) *detailReturn {
	at := o.done.In(paris)
	return &detailReturn{Dattrans: at.Format("02012006"), Exer: o.req.Exer, Heurtrans: at.Format("1504"), IdOp: o.idOp,
		Mel: o.req.Mel, Montant: o.req.Montant + o.skew, Numauto: o.numauto, Numcli: o.req.Numcli, Objet: o.req.Objet,
		Refdet: o.req.Refdet, Resultrans: string(o.result), Saisie: o.req.Saisie}
}

var paris = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.UTC
}()
