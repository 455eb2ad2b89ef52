package regie

import "time"

// TillSession is a counter's working day: opened with the float counted,
// ended by the day's Closing.
type TillSession struct {
	ID       string    `json:"id"`
	Counter  string    `json:"counter"`
	Agent    string    `json:"agent"`
	OpenedAt time.Time `json:"opened_at"`
	Day      string    `json:"day"`
	Count    CashCount `json:"count,omitempty"`
	Float    Money     `json:"float"`
}

// CheckLine is one cheque held in the till, as listed on the bordereau de
// remise de chèques.
type CheckLine struct {
	PaymentID string `json:"payment_id"`
	Tender    int    `json:"tender"`
	Receipt   string `json:"receipt"`
	Number    string `json:"number"`
	Bank      string `json:"bank"`
	Drawer    string `json:"drawer"`
	Amount    Money  `json:"amount"`
}

// ChecksTotal sums a list of cheques.
func ChecksTotal(cs []CheckLine) Money {
	var s Money
	for _, c := range cs {
		s += c.Amount
	}
	return s
}

// Closing is the arrêté de caisse of one day: what was counted, what was
// expected, the difference explained, and the totals that seal the day.
type Closing struct {
	ID      string    `json:"id"`
	Counter string    `json:"counter"`
	Day     string    `json:"day"`
	Agent   string    `json:"agent"`
	At      time.Time `json:"at"`
	// Sessions are the till sessions this closing ends.
	Sessions []string  `json:"sessions"`
	Count    CashCount `json:"count"`
	// Float is the cash counted when the till opened.
	Float         Money  `json:"float"`
	CashReceived  Money  `json:"cash_received"`
	CashRefunded  Money  `json:"cash_refunded"`
	CashDeposited Money  `json:"cash_deposited"`
	ExpectedCash  Money  `json:"expected_cash"`
	CountedCash   Money  `json:"counted_cash"`
	Difference    Money  `json:"difference"`
	Comment       string `json:"comment,omitempty"`
	// Totals are the day's net takings per mode (cancellations deducted);
	// GrandTotals the perpetual totals since the counter's first day.
	Totals        ModeTotals  `json:"totals"`
	GrandTotals   ModeTotals  `json:"grand_totals"`
	CardTotal     Money       `json:"card_total"`
	TerminalTotal *Money      `json:"terminal_total,omitempty"`
	Checks        []CheckLine `json:"checks"`
	Payments      int         `json:"payments"`
	Cancellations int         `json:"cancellations"`
	FirstReceipt  string      `json:"first_receipt,omitempty"`
	LastReceipt   string      `json:"last_receipt,omitempty"`
}

// CardDifference is the card total recorded minus the terminal's, zero when
// the terminal's total was not given.
func (c *Closing) CardDifference() Money {
	if c.TerminalTotal == nil {
		return 0
	}
	return c.CardTotal - *c.TerminalTotal
}

// Deposit is a versement: cash and cheques the régisseur hands to the public
// accountant, with its bordereau.
type Deposit struct {
	ID        string      `json:"id"`
	Counter   string      `json:"counter"`
	Agent     string      `json:"agent"`
	At        time.Time   `json:"at"`
	Day       string      `json:"day"`
	Cash      Money       `json:"cash"`
	Count     CashCount   `json:"count,omitempty"`
	Checks    []CheckLine `json:"checks"`
	Total     Money       `json:"total"`
	Reference string      `json:"reference,omitempty"`
}

// SumClosings adds the daily totals of closings: a month's or a year's
// statement is built from the days, never counted apart.
func SumClosings(cs []Closing) ModeTotals {
	t := ModeTotals{}
	for _, c := range cs {
		t = t.Add(c.Totals)
	}
	return t
}

// DayFigures are the sums of one day that a closing and the status bar need.
type DayFigures struct {
	Received      ModeTotals // payments of the day, cancelled ones included
	Refunded      ModeTotals // tenders of the day's cancellations
	CashDeposited Money
	Payments      int
	Cancellations int
	FirstReceipt  string
	LastReceipt   string
}

// Net is the day's takings per mode, cancellations deducted.
func (f *DayFigures) Net() ModeTotals {
	neg := ModeTotals{}
	for m, v := range f.Refunded {
		neg[m] = -v
	}
	return f.Received.Add(neg)
}

// Compute fills a closing's figures from the day's and the previous
// closing's: the one arithmetic serves the wizard, the record and verify.
// Float, Count and Checks must be set.
func (c *Closing) Compute(f *DayFigures, prev *Closing) {
	c.Totals = f.Net()
	c.GrandTotals = c.Totals.Add(nil)
	if prev != nil {
		c.GrandTotals = prev.GrandTotals.Add(c.Totals)
	}
	c.CashReceived = f.Received[Cash]
	c.CashRefunded = f.Refunded[Cash]
	c.CashDeposited = f.CashDeposited
	c.ExpectedCash = c.Float + c.CashReceived - c.CashRefunded - c.CashDeposited
	c.CountedCash = c.Count.Total()
	c.Difference = c.CountedCash - c.ExpectedCash
	c.CardTotal = c.Totals[Card]
	if c.Checks == nil {
		c.Checks = []CheckLine{}
	}
}
