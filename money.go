package regie

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Money is an amount in euro cents. It is an integer so that sums, splits
// and closings are exact: a float would lose cents and a cash office must
// balance to the cent. Its JSON form is the plain integer (cents), which is
// why Money deliberately has no MarshalText or MarshalJSON method.
type Money int64

// MoneySpace is the no-break space (U+00A0) that String puts between groups
// of thousands and before the euro sign, so that a printed or displayed
// amount never wraps in the middle of a line.
const MoneySpace = "\u00a0"

// Messages shown to the counter agent; kept together so wording stays
// consistent across every screen that parses an amount.
const (
	msgAmountEmpty    = "Saisissez un montant, par exemple 12,50."
	msgAmountInvalid  = "Montant invalide : « %s ». Saisissez par exemple 12,50."
	msgAmountDecimals = "Le montant ne peut pas avoir plus de deux décimales."
	msgAmountNegative = "Montant négatif refusé."
	msgAmountTooLarge = "Montant trop grand."
)

// Cents returns the amount as a bare int64 for storage (SQL INTEGER) and for
// code that must not depend on the regie package's types.
func (m Money) Cents() int64 { return int64(m) }

// String formats the amount the French way, "1 234,50 €", with no-break
// spaces (MoneySpace), because this is what receipts and screens show to
// citizens. ParseMoney reads it back unchanged.
func (m Money) String() string {
	return m.format(MoneySpace) + MoneySpace + "€"
}

// FormatPlain formats the amount as "1234,50", without grouping or euro
// sign, for pre-filling an input field the agent may edit.
func (m Money) FormatPlain() string {
	return m.format("")
}

// format writes sign, euros grouped by sep, a comma and exactly two cents.
func (m Money) format(sep string) string {
	u := m.magnitude()
	euros, cents := u/100, u%100
	digits := strconv.FormatUint(euros, 10)
	var b strings.Builder
	if m < 0 {
		b.WriteByte('-')
	}
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	b.WriteByte(',')
	b.WriteByte(byte('0' + cents/10))
	b.WriteByte(byte('0' + cents%10))
	return b.String()
}

// magnitude returns |m| as uint64, which also holds |math.MinInt64|.
func (m Money) magnitude() uint64 {
	u := uint64(m)
	if m < 0 {
		u = -u
	}
	return u
}

// ParseMoney reads an amount typed by an agent or found in an import, for
// places where only amounts ≥ 0 make sense (a payment, a count). It accepts
// "12,50", "12.5", "1 234,50 €", "1234.5 EUR"; thousands must be grouped by
// three with a space, U+00A0 or U+202F. Every refusal is an *Error with code
// EInvalidAmount and a French message the agent can act on.
func ParseMoney(s string) (Money, error) {
	m, neg, err := parseAmount(s)
	if err != nil {
		return 0, err
	}
	if neg {
		return 0, amountError(msgAmountNegative)
	}
	return m, nil
}

// ParseSignedMoney is ParseMoney for the rare fields that may be negative,
// such as a cash-count difference (déficit); it accepts one leading "-".
func ParseSignedMoney(s string) (Money, error) {
	m, _, err := parseAmount(s)
	return m, err
}

// parseAmount does the work for both parsers; neg reports a leading "-" so
// that ParseMoney can refuse it with its own message, even for "-0".
func parseAmount(s string) (m Money, neg bool, err error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, false, amountError(msgAmountEmpty)
	}
	invalid := amountError(fmt.Sprintf(msgAmountInvalid, quoteInput(t)))
	t = trimCurrency(t)
	if rest, ok := strings.CutPrefix(t, "-"); ok {
		neg, t = true, rest
	}
	intPart, decPart, hasDec := strings.Cut(t, ",")
	if !hasDec {
		intPart, decPart, hasDec = strings.Cut(t, ".")
	}
	digits, ok := ungroup(intPart)
	if !ok || (hasDec && !allDigits(decPart)) {
		return 0, false, invalid
	}
	if len(decPart) > 2 {
		return 0, false, amountError(msgAmountDecimals)
	}
	digits += decPart + strings.Repeat("0", 2-len(decPart))

	limit := uint64(math.MaxInt64)
	if neg {
		limit++ // math.MinInt64 cents is still an amount
	}
	var u uint64
	for i := 0; i < len(digits); i++ {
		d := uint64(digits[i] - '0')
		if u > (limit-d)/10 {
			return 0, false, amountError(msgAmountTooLarge)
		}
		u = u*10 + d
	}
	if neg {
		return Money(-u), true, nil
	}
	return Money(u), false, nil
}

// trimCurrency drops a trailing "€" or "EUR" and the spaces before it.
func trimCurrency(t string) string {
	switch {
	case strings.HasSuffix(t, "€"):
		t = strings.TrimSuffix(t, "€")
	case len(t) >= 3 && strings.EqualFold(t[len(t)-3:], "EUR"):
		t = t[:len(t)-3]
	default:
		return t
	}
	return strings.TrimRightFunc(t, unicode.IsSpace)
}

// ungroup checks the integer part and returns its bare digits. Grouping is
// optional, but when present it must be exact ("1 234 567"), so that a typo
// such as "12 50" is refused instead of being read as 1 250 €.
func ungroup(s string) (string, bool) {
	digits := make([]byte, 0, len(s))
	groups, groupLen := 1, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
			groupLen++
		case r == ' ' || r == '\u00a0' || r == '\u202f':
			if groupLen == 0 || groupLen > 3 || groups > 1 && groupLen != 3 {
				return "", false
			}
			groups++
			groupLen = 0
		default:
			return "", false
		}
	}
	if groupLen == 0 || groups > 1 && groupLen != 3 {
		return "", false
	}
	return string(digits), true
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// quoteInput shortens and cleans what the agent typed so it can be echoed
// in a message without control characters or a wall of text.
func quoteInput(s string) string {
	const max = 30
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == max {
			b.WriteString("…")
			break
		}
		if !unicode.IsPrint(r) && r != '\u00a0' && r != '\u202f' {
			r = '\uFFFD'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// amountError builds the package's *Error so callers can test the code with
// errors.As whatever went wrong in the amount.
func amountError(msg string) error {
	return &Error{Code: EInvalidAmount, Message: msg}
}
