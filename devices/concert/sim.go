package concert

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultSlowDelay is how long the simulator's slow customer takes.
const DefaultSlowDelay = 10 * time.Second

// DefaultSimPAN is the simulator's card number: a test number, not a card.
const DefaultSimPAN = "4970101234567890"

// SimConfig sets up a simulated terminal. The zero value answers at once,
// with the outcome chosen by the amount, and the driver's default timings.
type SimConfig struct {
	Outcome        Outcome
	CustomerDelay  time.Duration // before answering, for every outcome but Slow
	SlowDelay      time.Duration // for Slow; 0 means DefaultSlowDelay
	CorruptLRCOnce bool          // spoil the LRC of the next answer frame, once
	PAN            string        // card number in full answers; "" means DefaultSimPAN

	ENQTries      int           // 0 means 3
	FrameTries    int           // 0 means 3
	AnswerTimeout time.Duration // 0 means 3 s
	RetryPause    time.Duration // 0 means 1 s, < 0 none

	// Trace receives every byte, in hex and ASCII, card numbers masked.
	Trace io.Writer
	// Logf receives what the terminal does, in French, for people.
	Logf func(format string, args ...any)
}

// Simulator is a card terminal speaking Concert over rw, as the terminal
// side: it waits for the till's ENQ, takes the request, lets the simulated
// customer take their time, then calls the till back with the result.
type Simulator struct {
	cfg  SimConfig
	t    timing
	link *link
	mu   sync.Mutex
	lrc  bool // a corrupted LRC is still owed
	auth int
	reqs []Request
	logf func(string, ...any)
}

// NewSimulator starts reading rw; Run serves the requests.
func NewSimulator(rw io.ReadWriter, cfg SimConfig) *Simulator {
	c := Config{ENQTries: cfg.ENQTries, FrameTries: cfg.FrameTries, AnswerTimeout: cfg.AnswerTimeout,
		RetryPause: cfg.RetryPause}.withDefaults()
	if cfg.SlowDelay <= 0 {
		cfg.SlowDelay = DefaultSlowDelay
	}
	if cfg.PAN == "" {
		cfg.PAN = DefaultSimPAN
	}
	logf := cfg.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	tr := newTracer(cfg.Trace, "TPE", "caisse")
	return &Simulator{cfg: cfg, t: c.timing(), link: newLink(rw, tr, nil, c.AnswerTimeout), lrc: cfg.CorruptLRCOnce,
		auth: 100000, logf: logf}
}

// Requests returns the requests received so far, for tests.
func (s *Simulator) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// SetOutcome changes the outcome of the next requests.
func (s *Simulator) SetOutcome(o Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.Outcome = o
}

// CorruptNextLRC has the next answer frame sent once with a wrong LRC.
func (s *Simulator) CorruptNextLRC() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lrc = true
}

// Run serves requests until ctx is done (it then returns nil) or the port
// fails (it returns the error).
func (s *Simulator) Run(ctx context.Context) error {
	s.logf("Terminal simulé prêt, en attente de la caisse.")
	for {
		if _, err := s.link.waitFor(ctx, 0, ENQ); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("simulator: %w", err)
		}
		s.serve(ctx)
	}
}

// serve runs one transaction after the till's ENQ.
func (s *Simulator) serve(ctx context.Context) {
	s.mu.Lock()
	out := s.cfg.Outcome
	s.mu.Unlock()
	switch out {
	case Off:
		s.logf("Appel de la caisse ignoré (terminal « éteint »).")
		return
	case SilentAfterACK:
		_ = s.link.send(ACK)
		s.logf("Appel de la caisse acquitté, puis plus rien (terminal « muet »).")
		return
	}
	msg, err := s.link.accept(ctx, s.t)
	if err != nil {
		s.logf("Demande de la caisse non reçue : %v", err)
		return
	}
	req, err := DecodeRequest(msg)
	if err != nil {
		s.logf("Demande de la caisse invalide, ignorée : %v", err)
		return
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	s.mu.Unlock()
	if out == ByAmount {
		out = OutcomeFor(req.Amount)
	}
	s.logf("Demande reçue : %s de %s (caisse %02d, version %s), issue « %s ».", typeLabel(req.Type), req.Amount,
		req.Till, req.Version, out)
	delay := s.cfg.CustomerDelay
	switch out {
	case NoAnswer:
		s.logf("Le terminal ne rendra pas de réponse.")
		return
	case Slow:
		delay = s.cfg.SlowDelay
	}
	if delay > 0 {
		s.logf("Le client présente sa carte et tape son code (%s)…", Duration(delay))
	}
	if sleep(ctx, delay) != nil {
		return
	}
	s.respond(ctx, req, out)
}

// respond calls the till back with the result of req.
func (s *Simulator) respond(ctx context.Context, req Request, out Outcome) {
	resp := Response{Till: req.Till, Status: StatusAccepted, Amount: req.Amount, Mode: req.Mode,
		Full: req.FullAnswer, CardData: s.cfg.PAN, Currency: req.Currency}
	switch out {
	case Refuse:
		resp.Status = StatusRefused
	case NotProcessed:
		resp.Status = StatusNotProcessed
	default:
		s.auth++
		resp.Private = fmt.Sprintf("%06d", s.auth)
	}
	msg, err := resp.Encode()
	if err != nil {
		s.logf("Réponse impossible : %v", err)
		return
	}
	good, _ := Frame(msg)
	s.mu.Lock()
	corrupt := s.lrc || out == BadLRCOnce
	s.lrc = false
	s.mu.Unlock()
	frames := func(try int) []byte {
		if try > 1 || !corrupt {
			return good
		}
		bad := append([]byte(nil), good...)
		bad[len(bad)-1] ^= 0x55
		return bad
	}
	s.link.drain()
	if err := s.link.call(ctx, s.t); err != nil {
		s.logf("La caisse ne répond pas à l'appel : réponse perdue (%v).", err)
		return
	}
	if err := s.link.deliver(ctx, s.t, frames); err != nil {
		s.logf("Réponse non acquittée par la caisse : %v", err)
		return
	}
	if resp.Private == "" {
		s.logf("Réponse envoyée : %s, statut %c.", statusLabel(resp.Status), resp.Status)
		return
	}
	s.logf("Réponse envoyée : %s, statut %c, autorisation %s.", statusLabel(resp.Status), resp.Status, resp.Private)
}

func typeLabel(t TxType) string {
	switch t {
	case Debit:
		return "débit"
	case Credit:
		return "crédit"
	case Refund:
		return "remboursement"
	case PreAuth:
		return "pré-autorisation"
	}
	return "transaction"
}

func statusLabel(s byte) string {
	switch s {
	case StatusAccepted:
		return "accepté"
	case StatusRefused:
		return "refusé"
	}
	return "non abouti"
}

// Duration writes d for people, in French: "2 min", "1,5 s", "300 ms".
func Duration(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	case d >= time.Second:
		return strings.Replace(strconv.FormatFloat(d.Seconds(), 'f', -1, 64), ".", ",", 1) + " s"
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}
