package concert

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/regie-fr/regie"
)

// Version is the variant of the request: E has 26 characters, E+ adds the
// delay and authorisation fields for 34.
type Version int

// The two versions; E+ is what current terminals expect.
const (
	VersionEPlus Version = iota
	VersionE
)

func (v Version) String() string {
	if v == VersionE {
		return "E"
	}
	return "E+"
}

// Request lengths, without the framing.
const (
	RequestLenE     = 26
	RequestLenEPlus = 34
)

// TxType is the transaction type of a request.
type TxType byte

// The transaction types of CONCERT.md.
const (
	Debit   TxType = '0'
	Credit  TxType = '1'
	Refund  TxType = '2' // cancels a card payment of the same day
	PreAuth TxType = '4'
)

// Payment modes of a request and a response.
const (
	ModeCard   byte = '1'
	ModeCheque byte = 'C'
	ModeOther  byte = '0'
)

// The E+ fields' values.
const (
	DelayEnd         = "A010" // answer at the end of the transaction
	DelayAtOnce      = "A011" // answer at once
	AuthTerminal     = "B010" // the terminal decides whether to ask the bank
	AuthForced       = "B011" // force an authorisation request
	CurrencyEUR      = "978"
	MaxAmount        = regie.Money(99_999_999) // 8 digits of cents
	privateLen       = 10
	requestAmountOff = 2
)

// Request is what the till asks of the terminal. Encode validates every
// field; the zero values of Delay and Auth mean DelayEnd and AuthTerminal.
type Request struct {
	Version    Version
	Till       int         // 1–99
	Amount     regie.Money // 0–99 999 999 cents
	FullAnswer bool        // answer flag 1: the response carries card data
	Mode       byte        // ModeCard, ModeCheque, ModeOther
	Type       TxType
	Currency   string // three digits, "978" for euros
	Private    string // up to 10 ASCII characters, padded with spaces
	Delay      string // E+ only
	Auth       string // E+ only
}

// Encode returns the request's message (without STX, ETX, LRC).
func (r Request) Encode() ([]byte, error) {
	if r.Till < 1 || r.Till > 99 {
		return nil, fmt.Errorf("concert: till number %d outside 1-99", r.Till)
	}
	if r.Amount < 0 || r.Amount > MaxAmount {
		return nil, fmt.Errorf("concert: amount %d cents outside 0-%d", r.Amount, MaxAmount)
	}
	if !validMode(r.Mode) {
		return nil, fmt.Errorf("concert: unknown payment mode %q", r.Mode)
	}
	if !validType(r.Type) {
		return nil, fmt.Errorf("concert: unknown transaction type %q", byte(r.Type))
	}
	if !digits(r.Currency, 3) {
		return nil, fmt.Errorf("concert: currency %q is not 3 digits", r.Currency)
	}
	if len(r.Private) > privateLen || !printable(r.Private) {
		return nil, fmt.Errorf("concert: private data %q: at most 10 ASCII characters", r.Private)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%02d%08d", r.Till, int64(r.Amount))
	b.WriteByte(flag(r.FullAnswer))
	b.WriteByte(r.Mode)
	b.WriteByte(byte(r.Type))
	b.WriteString(r.Currency)
	fmt.Fprintf(&b, "%-10s", r.Private)
	if r.Version == VersionE {
		return []byte(b.String()), nil
	}
	delay, auth := or(r.Delay, DelayEnd), or(r.Auth, AuthTerminal)
	if delay != DelayEnd && delay != DelayAtOnce {
		return nil, fmt.Errorf("concert: delay %q is neither A010 nor A011", delay)
	}
	if auth != AuthTerminal && auth != AuthForced {
		return nil, fmt.Errorf("concert: authorisation %q is neither B010 nor B011", auth)
	}
	b.WriteString(delay)
	b.WriteString(auth)
	return []byte(b.String()), nil
}

// DecodeRequest reads a request message of either version, as the
// simulator receives it; the version follows from the length.
func DecodeRequest(msg []byte) (Request, error) {
	var r Request
	switch len(msg) {
	case RequestLenE:
		r.Version = VersionE
	case RequestLenEPlus:
		r.Version = VersionEPlus
	default:
		return r, fmt.Errorf("concert: request of %d characters, want 26 (E) or 34 (E+)", len(msg))
	}
	s := string(msg)
	till, err := number(s[0:2], "till number")
	if err != nil {
		return r, err
	}
	if till < 1 {
		return r, fmt.Errorf("concert: till number 00")
	}
	amount, err := number(s[requestAmountOff:10], "amount")
	if err != nil {
		return r, err
	}
	r.Till, r.Amount = int(till), regie.Money(amount)
	switch s[10] {
	case '0', '1':
		r.FullAnswer = s[10] == '1'
	default:
		return r, fmt.Errorf("concert: answer flag %q is neither 0 nor 1", s[10])
	}
	r.Mode, r.Type, r.Currency, r.Private = s[11], TxType(s[12]), s[13:16], strings.TrimRight(s[16:26], " ")
	if !validMode(r.Mode) || !validType(r.Type) || !digits(r.Currency, 3) || !printable(s[16:26]) {
		return r, fmt.Errorf("concert: bad mode, type, currency or private data in %q", s)
	}
	if r.Version == VersionEPlus {
		r.Delay, r.Auth = s[26:30], s[30:34]
		if (r.Delay != DelayEnd && r.Delay != DelayAtOnce) || (r.Auth != AuthTerminal && r.Auth != AuthForced) {
			return r, fmt.Errorf("concert: bad E+ fields %q %q", r.Delay, r.Auth)
		}
	}
	return r, nil
}

func validMode(m byte) bool {
	return m == ModeCard || m == ModeCheque || m == ModeOther
}

func validType(t TxType) bool {
	return t == Debit || t == Credit || t == Refund || t == PreAuth
}

// digits tells whether s is exactly n ASCII digits.
func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// number parses a fixed-width field of digits.
func number(s, field string) (int64, error) {
	if !digits(s, len(s)) {
		return 0, fmt.Errorf("concert: %s %q is not digits", field, s)
	}
	return strconv.ParseInt(s, 10, 64)
}

// printable tells whether s is all message characters (0x20–0x7F).
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7F {
			return false
		}
	}
	return true
}

func flag(b bool) byte {
	if b {
		return '1'
	}
	return '0'
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
