// Package protocol is the wire format of sync v1 between a counter and the
// central server: JSON messages whose fields are only ever added, never
// renamed or reused, with money in integer cents and instants written in
// the journal's time format so that the server recomputes the very hashes
// the counter computed. The version is in the path, so a server that no
// longer speaks a counter's version can say so with a typed error.
package protocol

import (
	"errors"
	"fmt"
)

// Version is the protocol version this package speaks.
const Version = 1

// Prefix is where the endpoints of this version live.
const Prefix = "/api/sync/v1"

// The endpoints of sync v1, relative to the server's base URL.
const (
	PathEnrol = Prefix + "/enrol"
	PathPush  = Prefix + "/push"
	PathPull  = Prefix + "/pull"
)

// HeaderVersion carries the client's protocol version on every request, so
// the server's logs can tell which counters still run an old program.
const HeaderVersion = "Regie-Sync-Version"

// HeaderJournalHead carries, on every request of an enrolled counter, the
// seq of the last entry recorded in its own journal (0 when empty): the
// server learns what the counter holds and has not pushed yet. A counter
// that does not send it (an older program) is shown as unknown.
const HeaderJournalHead = "Regie-Journal-Head"

// The codes of ErrorBody that a client reacts to; the others are the
// domain's regie.ErrorCode spellings. A push refused with 422 (Unprocessable
// Entity) holds an entry that is well chained but breaks a domain rule: its
// Code is that rule's regie.ErrorCode ("tender_mismatch", "receipt_number",
// "day_closed"…), Seq the entry, Message the rule in French.
const (
	CodeTooOld        = "version_too_old"
	CodeUnauthorized  = "unauthorized"
	CodeForbidden     = "forbidden"
	CodeMalformed     = "malformed"
	CodeTooLarge      = "too_large"
	CodeChainBroken   = "chain_broken"
	CodeSequenceGap   = "sequence_gap"
	CodeEntryConflict = "entry_conflict"
	CodeInternal      = "internal"
)

// ErrorBody is what the server answers with any status other than 2xx.
// Message is French and may be shown as it is; Seq names the first entry
// refused, and LastSeq what the server holds, so a counter can resume.
type ErrorBody struct {
	Code       string `json:"code"`
	Message    string `json:"message"`
	Seq        int64  `json:"seq,omitempty"`
	LastSeq    int64  `json:"last_seq,omitempty"`
	MinVersion int    `json:"min_version,omitempty"`
}

// Error is an ErrorBody received with its HTTP status, as the client
// returns it.
type Error struct {
	Status int
	Body   ErrorBody
}

func (e *Error) Error() string {
	if e.Body.Seq != 0 {
		return fmt.Sprintf("sync: server answered %d %s at entry %d: %s", e.Status, e.Body.Code, e.Body.Seq, e.Body.Message)
	}
	return fmt.Sprintf("sync: server answered %d %s: %s", e.Status, e.Body.Code, e.Body.Message)
}

// TooOldError says that the server no longer accepts this protocol version:
// the counter's program must be updated ("mise à jour nécessaire").
type TooOldError struct {
	Version    int // what this client speaks
	MinVersion int // the oldest the server accepts, 0 when it did not say
}

func (e *TooOldError) Error() string {
	return fmt.Sprintf("sync: protocol v%d is too old for the server (minimum v%d)", e.Version, e.MinVersion)
}

// Message is the French sentence the status bar shows.
func (e *TooOldError) Message() string {
	return "Mise à jour nécessaire : le serveur n'accepte plus cette version de la caisse."
}

// IsTooOld tells whether err, or an error it wraps, is a TooOldError.
func IsTooOld(err error) bool {
	var t *TooOldError
	return errors.As(err, &t)
}
