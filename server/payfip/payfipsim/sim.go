// Package payfipsim simulates PayFiP for the demo and the tests, as
// regie-tpe-sim simulates a card terminal: the PaiementSecuriseService
// (creerPaiementSecurise, recupererDetailPaiementSecurise) with the faults
// the real one answers, and a French payment page where the tester pays by
// card or direct debit, refuses or cancels. Then, as PayFiP does, it
// notifies the régie's urlnotif (POST idop) and sends the citizen back to
// urlredirect (a form posting idop). Options delay, drop or repeat the
// notification. Its state is in memory: it is a test double, not the
// product.
package payfipsim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/regie-fr/regie/server/payfip"
)

// Options tune the simulator.
type Options struct {
	// NotifyDelay waits before notifying; DropNotification never
	// notifies; NotifyTwice notifies twice.
	NotifyDelay      time.Duration
	DropNotification bool
	NotifyTwice      bool
	// AmountSkew is added to the montant the status call reports, to
	// test a status that disagrees with the order (never do it for real).
	AmountSkew int64
	// HTTP posts the notifications (a 10 s client when nil).
	HTTP   *http.Client
	Logger *slog.Logger
	Now    func() time.Time
}

// Sim is the simulated service. Its handler serves /tpa/services/securite
// and /tpa/paiementws.web, so that its base URL is the server's + "/tpa"
// (BaseURL).
type Sim struct {
	opt    Options
	mu     sync.Mutex
	orders map[string]*order
	wg     sync.WaitGroup
	mux    *http.ServeMux
}

type order struct {
	idOp    string
	req     payfip.CreateRequest
	created time.Time
	result  payfip.Result // empty until paid, refused or cancelled
	numauto string
	done    time.Time
	skew    int64
}

// New makes a simulator.
func New(opt Options) *Sim {
	if opt.HTTP == nil {
		opt.HTTP = &http.Client{Timeout: 10 * time.Second}
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	s := &Sim{opt: opt, orders: map[string]*order{}, mux: http.NewServeMux()}
	s.mux.HandleFunc("POST "+Prefix+"/services/securite", s.serveSOAP)
	s.mux.HandleFunc("GET "+Prefix+"/paiementws.web", s.page)
	s.mux.HandleFunc("POST "+Prefix+"/paiementws.web", s.choose)
	return s
}

// Prefix is where the simulator serves, as PayFiP does under /tpa.
const Prefix = "/tpa"

// ServeHTTP serves the web service and the payment page.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// BaseURL is the payfip.ClientConfig.BaseURL of a simulator served at root
// ("http://127.0.0.1:8090").
func BaseURL(root string) string { return strings.TrimRight(root, "/") + Prefix }

// Set changes the options for the next payments (tests and demos).
func (s *Sim) Set(fn func(*Options)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(&s.opt)
}

// Wait waits for the notifications in flight.
func (s *Sim) Wait() { s.wg.Wait() }

var (
	reNumcli = regexp.MustCompile(`^[0-9]{6}$`)
	reRefdet = regexp.MustCompile(`^[A-Za-z0-9]{6,30}$`)
	reExer   = regexp.MustCompile(`^[0-9]{4}$`)
	reObjet  = regexp.MustCompile(`^[A-Za-z0-9 ]{0,100}$`)
)

// create checks a creerPaiementSecurise as PayFiP does (the codes of its
// guide's annex) and registers the order.
func (s *Sim) create(req *payfip.CreateRequest) (idOp, code, msg string) {
	switch {
	case !reNumcli.MatchString(req.Numcli):
		return "", "N1", "Numéro de client incorrect."
	case !reExer.MatchString(req.Exer):
		return "", "E1", "Le format du paramètre EXER n'est pas conforme."
	case !reRefdet.MatchString(req.Refdet):
		return "", "R3", "Le format du paramètre REFDET n'est pas conforme."
	case req.Montant < 100 || req.Montant > 99_999_99:
		return "", "M2", "Le montant n'est pas dans la plage autorisée."
	case len(req.Mel) < 6 || len(req.Mel) > 80 || !strings.Contains(req.Mel, "@"):
		return "", "A2", "Adresse mél incorrecte."
	case !reObjet.MatchString(req.Objet):
		return "", "O1", "Le format du paramètre OBJET n'est pas conforme."
	case req.Saisie != "T" && req.Saisie != "X" && req.Saisie != "W":
		return "", "S1", "Le format du paramètre SAISIE n'est pas conforme."
	case !httpURL(req.URLNotif) || !httpURL(req.URLRedirect):
		return "", "U1", "Les adresses de retour doivent être des URL http ou https."
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := &order{idOp: uuid.NewString(), req: *req, created: s.opt.Now()}
	s.orders[o.idOp] = o
	return o.idOp, "", ""
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// detail answers recupererDetailPaiementSecurise: P1 for an unknown idOp,
// P5 while the payer has not chosen.
func (s *Sim) detail(idOp string) (*detailReturn, string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[idOp]
	if o == nil {
		return nil, "P1", "IdOp incorrect."
	}
	if o.result == "" {
		return nil, "P5", "Résultat de la transaction non connu."
	}
	return detailOf(o), "", ""
}

// Pay gives idOp's transaction its result, as the payer's choice on the
// page would, and notifies urlnotif (after the options' delay, in the
// background, or not at all). It returns the address the payer is sent
// back to. A transaction already settled keeps its result.
func (s *Sim) Pay(idOp string, result payfip.Result) (string, error) {
	s.mu.Lock()
	o := s.orders[idOp]
	if o == nil {
		s.mu.Unlock()
		return "", fmt.Errorf("payfipsim: unknown idOp %s", idOp)
	}
	if o.result == "" {
		o.result, o.done, o.skew = result, s.opt.Now(), s.opt.AmountSkew
		if result.Paid() {
			o.numauto = fmt.Sprintf("%06d", rand.IntN(1_000_000))
		}
	}
	opt, notif, back := s.opt, o.req.URLNotif, o.req.URLRedirect
	s.mu.Unlock()
	if !opt.DropNotification {
		times := 1
		if opt.NotifyTwice {
			times = 2
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			time.Sleep(opt.NotifyDelay)
			for range times {
				s.notify(notif, idOp)
			}
		}()
	}
	return back, nil
}

// notify posts idop to urlnotif, as PayFiP's server does.
func (s *Sim) notify(target, idOp string) {
	body := url.Values{"idop": {idOp}}.Encode()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, target, bytes.NewBufferString(body))
	if err != nil {
		s.opt.Logger.Warn("payfipsim: notification", "err", err)
		return
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.opt.HTTP.Do(req)
	if err != nil {
		s.opt.Logger.Warn("payfipsim: notification failed", "idop", idOp, "err", err)
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	s.opt.Logger.Info("payfipsim: notified", "idop", idOp, "status", resp.StatusCode)
}

// Order tells what the simulator knows of idOp: its request and result.
func (s *Sim) Order(idOp string) (payfip.CreateRequest, payfip.Result, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[idOp]
	if o == nil {
		return payfip.CreateRequest{}, "", false
	}
	return o.req, o.result, true
}

// Forget drops idOp, as PayFiP purges at night the idOps that never
// reached a payment (its status is then P1).
func (s *Sim) Forget(idOp string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.orders, idOp)
}
