package concert

import (
	"io"
	"time"
)

// Default timings, from the drivers known to work with terminals in the
// field (CONCERT.md).
const (
	DefaultENQTries        = 3
	DefaultFrameTries      = 3
	DefaultAnswerTimeout   = 3 * time.Second
	DefaultRetryPause      = time.Second
	DefaultCustomerTimeout = 120 * time.Second
)

// Config is how the driver talks to one terminal. The zero value works:
// till 01, version E+, full answer (for the masked card number), and the
// default timings.
type Config struct {
	Till               int     // till number sent to the terminal, 1–99; 0 means 1
	Version            Version // VersionEPlus (default) or VersionE
	ShortAnswer        bool    // ask for the short answer, without card data
	ForceAuthorisation bool    // E+: B011, have the terminal call the bank

	ENQTries        int           // ENQ sent before "no answer"; 0 means 3
	FrameTries      int           // sends of a frame answered NAK; 0 means 3
	AnswerTimeout   time.Duration // for each answer byte; 0 means 3 s
	RetryPause      time.Duration // after an unanswered ENQ; 0 means 1 s, < 0 none
	CustomerTimeout time.Duration // for the terminal's result; 0 means 120 s

	// OnState is told every change of state, from the goroutine that called
	// Pay or Refund; a UI hands it over to its own thread (fyne.Do).
	OnState func(State)
	// Trace, when set, receives every byte sent and received, in hex and
	// ASCII, card numbers masked.
	Trace io.Writer
	// Logf, when set, receives the driver's log lines, in English.
	Logf func(format string, args ...any)
}

func (c Config) withDefaults() Config {
	if c.Till == 0 {
		c.Till = 1
	}
	if c.ENQTries <= 0 {
		c.ENQTries = DefaultENQTries
	}
	if c.FrameTries <= 0 {
		c.FrameTries = DefaultFrameTries
	}
	if c.AnswerTimeout <= 0 {
		c.AnswerTimeout = DefaultAnswerTimeout
	}
	if c.RetryPause == 0 {
		c.RetryPause = DefaultRetryPause
	}
	if c.CustomerTimeout <= 0 {
		c.CustomerTimeout = DefaultCustomerTimeout
	}
	return c
}

func (c Config) timing() timing {
	return timing{enqTries: c.ENQTries, frameTries: c.FrameTries, answer: c.AnswerTimeout, pause: c.RetryPause}
}

// State is what the terminal is doing, for the cashier's status bar.
type State int

// The states of one payment, in order; the driver is back to StateIdle when
// Pay or Refund returns.
const (
	StateIdle            State = iota // ready
	StateCalling                      // ENQ sent, waiting for the terminal's ACK
	StateSending                      // sending the amount
	StateWaitingCustomer              // the customer presents the card and types the PIN
	StateReceiving                    // reading the terminal's answer
)

// String is the French label of the state, ready for a status bar.
func (s State) String() string {
	switch s {
	case StateIdle:
		return "Terminal prêt"
	case StateCalling:
		return "Appel du terminal…"
	case StateSending:
		return "Envoi du montant au terminal…"
	case StateWaitingCustomer:
		return "Présentez la carte au client…"
	case StateReceiving:
		return "Réception de la réponse du terminal…"
	}
	return "État du terminal inconnu"
}
