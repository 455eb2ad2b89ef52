package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/regie-fr/regie/sync/protocol"
)

// RefusedError is the server refusing an entry of this counter's journal
// that is well chained but breaks a domain rule (HTTP 422): a negative
// amount, a receipt number out of sequence, a payment on a closed day…
// Sending it again changes nothing, so the client waits for its next
// normal round, and the entry stays pending until the régisseur has the
// counter file checked.
type RefusedError struct {
	Seq     int64  // the entry refused
	Code    string // the rule (a regie.ErrorCode spelling)
	Message string // the rule in French, from the server
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("sync: server refused entry %d (%s): %s", e.Seq, e.Code, e.Message)
}

// StatusMessage is what the status bar says: synchronisation refusée, and
// why.
func (e *RefusedError) StatusMessage() string {
	msg := strings.TrimSpace(e.Message)
	if msg == "" {
		msg = fmt.Sprintf("entrée n° %d contraire aux règles de la régie.", e.Seq)
	}
	return "Synchronisation refusée : " + msg + " Prévenez le régisseur."
}

// refused turns a server's answer into a RefusedError when it is one.
func refused(e *protocol.Error) error {
	if e.Status != http.StatusUnprocessableEntity {
		return e
	}
	return &RefusedError{Seq: e.Body.Seq, Code: e.Body.Code, Message: e.Body.Message}
}

// IsRefused tells whether err, or an error it wraps, is a RefusedError.
func IsRefused(err error) bool {
	var r *RefusedError
	return errors.As(err, &r)
}

// retryWait is how long Run waits after a failed round: the back-off for
// what may pass on its own (the network, the server), the normal interval
// for a refusal, which only a person can clear.
func (c *Client) retryWait(err error, failures int) time.Duration {
	if IsRefused(err) {
		return c.opt.Interval
	}
	return backoff(c.opt.MinBackoff, c.opt.MaxBackoff, failures)
}
