package regie

// PaymentMode is how money reached the régie. The values are the wire and
// database spelling and never change.
type PaymentMode string

// The payment modes a régie may accept.
const (
	Cash         PaymentMode = "cash"
	Check        PaymentMode = "check"
	Card         PaymentMode = "card"
	Transfer     PaymentMode = "transfer"
	DirectDebit  PaymentMode = "direct_debit"
	Online       PaymentMode = "online"
	HolidayCheck PaymentMode = "holiday_check"
	CESU         PaymentMode = "cesu"
)

// Modes lists every mode in the order reports show them.
var Modes = []PaymentMode{Cash, Check, Card, Transfer, DirectDebit, Online, HolidayCheck, CESU}

var modeLabels = map[PaymentMode]string{
	Cash:         "Espèces",
	Check:        "Chèque",
	Card:         "Carte bancaire",
	Transfer:     "Virement",
	DirectDebit:  "Prélèvement",
	Online:       "Paiement en ligne",
	HolidayCheck: "Chèques-vacances",
	CESU:         "CESU",
}

// Label is the mode's French name, as agents and citizens read it.
func (m PaymentMode) Label() string {
	if l, ok := modeLabels[m]; ok {
		return l
	}
	return string(m)
}

// Valid tells whether m is one of the known modes, so that a typo in settings
// or on the wire is refused rather than stored.
func (m PaymentMode) Valid() bool {
	_, ok := modeLabels[m]
	return ok
}

// AtCounter tells whether a desk counter may take this mode: online
// payments only ever arrive through the server (Channel.Takes).
func (m PaymentMode) AtCounter() bool { return ChannelDesk.Takes(m) }

// ModeTotals holds an amount per mode; a missing mode is zero.
type ModeTotals map[PaymentMode]Money

// Add returns the sum of t and o without changing either, so that closings can
// build grand totals from earlier ones safely.
func (t ModeTotals) Add(o ModeTotals) ModeTotals {
	r := ModeTotals{}
	for m, v := range t {
		r[m] += v
	}
	for m, v := range o {
		r[m] += v
	}
	for m, v := range r {
		if v == 0 {
			delete(r, m)
		}
	}
	return r
}

// Total is the sum over every mode.
func (t ModeTotals) Total() Money {
	var s Money
	for _, v := range t {
		s += v
	}
	return s
}

// Equal compares two totals, treating a missing mode as zero.
func (t ModeTotals) Equal(o ModeTotals) bool {
	for _, m := range Modes {
		if t[m] != o[m] {
			return false
		}
	}
	return len(t.Add(nil)) == len(o.Add(nil))
}
