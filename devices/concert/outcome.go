package concert

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"

	"github.com/regie-fr/regie"
)

// Outcome is what the simulated terminal does with the next requests.
type Outcome int

// The outcomes. ByAmount, the default, lets the amount's cents choose, so a
// tester drives every case from the cashier's screen: see OutcomeFor.
const (
	ByAmount       Outcome = iota
	Accept                 // status 0, after SimConfig.CustomerDelay
	Refuse                 // status 7
	NotProcessed           // status 9
	NoAnswer               // takes the request, never sends a result
	Slow                   // accepts after SimConfig.SlowDelay
	Off                    // never answers ENQ, like a terminal switched off
	SilentAfterACK         // acknowledges ENQ, then ignores the request
	BadLRCOnce             // accepts, but spoils the LRC of its first answer frame
)

var outcomeNames = map[Outcome]string{
	ByAmount: "montant", Accept: "accepte", Refuse: "refuse", NotProcessed: "non-abouti",
	NoAnswer: "sans-reponse", Slow: "lent", Off: "eteint", SilentAfterACK: "muet", BadLRCOnce: "lrc-errone",
}

// String is the outcome's name on regie-tpe-sim's command line.
func (o Outcome) String() string {
	if n, ok := outcomeNames[o]; ok {
		return n
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// ParseOutcome reads an outcome's name, as String writes it.
func ParseOutcome(s string) (Outcome, error) {
	for o, n := range outcomeNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return o, nil
		}
	}
	return 0, fmt.Errorf("issue inconnue « %s » : choisissez parmi %s", s, OutcomeNames())
}

// OutcomeNames lists the names ParseOutcome accepts, in order.
func OutcomeNames() string {
	names := make([]string, 0, len(outcomeNames))
	for o := ByAmount; o <= BadLRCOnce; o++ {
		names = append(names, outcomeNames[o])
	}
	return strings.Join(names, ", ")
}

// OutcomeFor is the outcome ByAmount chooses from the amount's cents:
// ,05 not processed; ,06 accepted after a corrupted LRC; ,07 refused;
// ,08 no answer; ,09 slow customer; anything else accepted.
func OutcomeFor(amount regie.Money) Outcome {
	switch amount % 100 {
	case 5:
		return NotProcessed
	case 6:
		return BadLRCOnce
	case 7:
		return Refuse
	case 8:
		return NoAnswer
	case 9:
		return Slow
	}
	return Accept
}

// ByAmountHelp explains ByAmount to people, in French.
const ByAmountHelp = "centimes ,05 non abouti ; ,06 LRC erroné une fois puis accepté ; ,07 refusé ; " +
	",08 sans réponse ; ,09 client lent ; autres centimes : accepté"

// Loopback wires a driver to a simulator over an in-memory pipe, for demos
// and UI tests without a terminal. stop ends the simulator and closes both
// ends; call it once.
func Loopback(cfg Config, sim SimConfig) (d *Driver, s *Simulator, stop func()) {
	a, b := net.Pipe()
	s = NewSimulator(b, sim)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Run(ctx)
	}()
	d = New(a, cfg)
	return d, s, func() {
		cancel()
		_ = d.Close()
		_ = b.Close()
		<-done
	}
}

// lockedWriter serialises writes of the tracers that share one writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// LockedWriter returns w made safe for the driver and the simulator to trace
// into at once, as in a loopback.
func LockedWriter(w io.Writer) io.Writer {
	return &lockedWriter{w: w}
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
