package concert

import (
	"fmt"
	"strings"

	"github.com/regie-fr/regie"
)

// Response lengths, without the framing: 28 and 83 bytes once framed.
const (
	shortResponseLen = 25
	fullResponseLen  = 80
	cardOffset       = 12
	cardLen          = 55
)

// Terminal statuses of a response.
const (
	StatusAccepted     byte = '0'
	StatusRefused      byte = '7'
	StatusNotProcessed byte = '9' // handled but not verified: abandoned, timed out on the terminal…
)

// Response is the terminal's answer. CardData holds the card number in
// clear when the request asked for a full answer: it must never be stored,
// logged or shown; MaskedPAN is what may be kept.
type Response struct {
	Till     int
	Status   byte
	Amount   regie.Money
	Mode     byte
	Full     bool   // the answer carries the 55 characters of card data
	CardData string // card number then padding; only when Full
	Currency string
	Private  string // trailing spaces trimmed
}

// Accepted tells whether the terminal accepted the transaction.
func (r Response) Accepted() bool { return r.Status == StatusAccepted }

// MaskedPAN is the card number with at most its first six and last four
// digits shown, or "" when the answer has no card number.
func (r Response) MaskedPAN() string {
	if !r.Full {
		return ""
	}
	return MaskPAN(r.CardData)
}

// Encode returns the response's message, as the simulator sends it.
func (r Response) Encode() ([]byte, error) {
	if r.Till < 0 || r.Till > 99 || r.Amount < 0 || r.Amount > MaxAmount {
		return nil, fmt.Errorf("concert: response till %d or amount %d out of range", r.Till, r.Amount)
	}
	if r.Status < 0x20 || r.Status > 0x7F || r.Mode < 0x20 || r.Mode > 0x7F || !digits(r.Currency, 3) {
		return nil, fmt.Errorf("concert: response status %q, mode %q or currency %q invalid", r.Status, r.Mode, r.Currency)
	}
	if len(r.Private) > privateLen || !printable(r.Private) || len(r.CardData) > cardLen || !printable(r.CardData) {
		return nil, fmt.Errorf("concert: response card data or private data too long or not ASCII")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%02d%c%08d%c", r.Till, r.Status, int64(r.Amount), r.Mode)
	if r.Full {
		fmt.Fprintf(&b, "%-55s", r.CardData)
	}
	fmt.Fprintf(&b, "%s%-10s", r.Currency, r.Private)
	return []byte(b.String()), nil
}

// DecodeResponse reads a response message of 25 characters (short answer)
// or 80 (full answer, with card data).
func DecodeResponse(msg []byte) (Response, error) {
	var r Response
	switch len(msg) {
	case shortResponseLen:
	case fullResponseLen:
		r.Full = true
	default:
		return r, fmt.Errorf("concert: response of %d characters, want 25 or 80", len(msg))
	}
	s := string(msg)
	if !printable(s) {
		return r, fmt.Errorf("concert: response has bytes outside 0x20-0x7F")
	}
	till, err := number(s[0:2], "till number")
	if err != nil {
		return r, err
	}
	amount, err := number(s[3:11], "amount")
	if err != nil {
		return r, err
	}
	r.Till, r.Status, r.Amount, r.Mode = int(till), s[2], regie.Money(amount), s[11]
	rest := s[cardOffset:]
	if r.Full {
		r.CardData, rest = strings.TrimRight(rest[:cardLen], " "), rest[cardLen:]
	}
	r.Currency, r.Private = rest[:3], strings.TrimRight(rest[3:], " ")
	if !digits(r.Currency, 3) {
		return r, fmt.Errorf("concert: response currency %q is not 3 digits", r.Currency)
	}
	return r, nil
}

// maxPAN is the longest card number (ISO/IEC 7812).
const maxPAN = 19

// MaskPAN keeps the card number at the start of card data (its leading
// digits, 19 at most) and hides all but its first six and last four digits:
// "4970101234567890" → "497010******7890". A number too short to be a card
// number (under 13 digits) shows only its last digits, half of them at
// most, four at most. It returns "" when the data starts with no digit.
func MaskPAN(cardData string) string {
	s := strings.TrimLeft(cardData, " ")
	n := 0
	for n < len(s) && n < maxPAN && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 {
		return ""
	}
	head, tail := 6, 4
	if n < 13 {
		head, tail = 0, min(4, n/2)
	}
	return s[:head] + strings.Repeat("*", n-head-tail) + s[n-tail:n]
}
