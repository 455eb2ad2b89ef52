package regie

// JournalHistory is what the journal rules need to know of one counter's
// past: a counter's store, the server's database or a replay in memory
// answer it. Every method answers for the counter's own entries only.
type JournalHistory interface {
	// LastReceipt is n of the counter's last receipt number of year, 0
	// when it has none.
	LastReceipt(year int) (int, error)
	// Session is the till session opened with this id, nil when none.
	Session(id string) (*TillSession, error)
	// LastSession is the till session opened last, nil before the first.
	LastSession() (*TillSession, error)
	// Sealed tells whether a closing sealed day.
	Sealed(day string) (bool, error)
	// Payment is the payment recorded with this id, nil when none.
	Payment(id string) (*Payment, error)
	// Cancelled is the seq of the entry that cancelled the payment, 0
	// when it stands.
	Cancelled(paymentID string) (int64, error)
	// Deposited tells whether the cheque (the payment's tender at index
	// tender) was handed over in a deposit.
	Deposited(paymentID string, tender int) (bool, error)
	// DayFigures are the sums of day's payments (by their day),
	// cancellations and deposits (by theirs), as a closing recomputes them.
	DayFigures(day string) (*DayFigures, error)
	// LastClosing is the counter's latest closing, nil before the first.
	LastClosing() (*Closing, error)
}

// JournalState is a counter's history held in memory, built by Apply from
// the entries in order. Over a Base (the entries stored before), it holds
// only what was applied since and asks Base for the rest: that is how the
// server checks a push against what it stored earlier without loading it.
// With no Base it is a whole replay (verify).
type JournalState struct {
	Base JournalHistory

	receipts  map[int]int
	sessions  map[string]*TillSession
	sealed    map[string]bool
	payments  map[string]*Payment
	cancelled map[string]int64
	deposited map[checkRef]bool
	days      map[string]*DayFigures
	closing   *Closing
	session   *TillSession
}

type checkRef struct {
	payment string
	tender  int
}

var _ JournalHistory = (*JournalState)(nil)

// NewJournalState starts a state over base (nil for none).
func NewJournalState(base JournalHistory) *JournalState {
	return &JournalState{Base: base, receipts: map[int]int{}, sessions: map[string]*TillSession{},
		sealed: map[string]bool{}, payments: map[string]*Payment{}, cancelled: map[string]int64{},
		deposited: map[checkRef]bool{}, days: map[string]*DayFigures{}}
}

// Apply records an entry the rules accepted (obj as DecodeEntry gave it).
// It does not check: Check comes first.
func (s *JournalState) Apply(e *Entry, obj any) {
	switch o := obj.(type) {
	case *Payment:
		if _, _, year, n, err := ParseReceiptNumber(o.Receipt); err == nil {
			s.receipts[year] = n
		}
		s.payments[o.ID] = o
		f := s.day(o.Day)
		for _, t := range o.Tenders {
			f.Received[t.Mode] += t.Amount
		}
		f.Payments++
		if f.FirstReceipt == "" {
			f.FirstReceipt = o.Receipt
		}
		f.LastReceipt = o.Receipt
	case *Cancellation:
		s.cancelled[o.PaymentID] = e.Seq
		f := s.day(o.Day)
		for _, t := range o.Refunds {
			f.Refunded[t.Mode] += t.Amount
		}
		f.Cancellations++
	case *TillSession:
		s.sessions[o.ID] = o
		s.session = o
	case *Deposit:
		s.day(o.Day).CashDeposited += o.Cash
		for _, c := range o.Checks {
			s.deposited[checkRef{c.PaymentID, c.Tender}] = true
		}
	case *Closing:
		s.sealed[o.Day] = true
		s.closing = o
	}
}

func (s *JournalState) day(d string) *DayFigures {
	f := s.days[d]
	if f == nil {
		f = &DayFigures{Received: ModeTotals{}, Refunded: ModeTotals{}}
		s.days[d] = f
	}
	return f
}

// LastReceipt implements JournalHistory.
func (s *JournalState) LastReceipt(year int) (int, error) {
	if n, ok := s.receipts[year]; ok || s.Base == nil {
		return n, nil
	}
	n, err := s.Base.LastReceipt(year)
	if err == nil {
		s.receipts[year] = n
	}
	return n, err
}

// Base's answers are kept: what Apply records afterwards overrides them,
// and nothing else changes the history.

// Session implements JournalHistory.
func (s *JournalState) Session(id string) (*TillSession, error) {
	return cached(s.sessions, id, s.Base != nil, func() (*TillSession, error) { return s.Base.Session(id) })
}

// Sealed implements JournalHistory.
func (s *JournalState) Sealed(day string) (bool, error) {
	return cached(s.sealed, day, s.Base != nil, func() (bool, error) { return s.Base.Sealed(day) })
}

// Payment implements JournalHistory.
func (s *JournalState) Payment(id string) (*Payment, error) {
	return cached(s.payments, id, s.Base != nil, func() (*Payment, error) { return s.Base.Payment(id) })
}

// Cancelled implements JournalHistory.
func (s *JournalState) Cancelled(paymentID string) (int64, error) {
	return cached(s.cancelled, paymentID, s.Base != nil, func() (int64, error) { return s.Base.Cancelled(paymentID) })
}

// Deposited implements JournalHistory.
func (s *JournalState) Deposited(paymentID string, tender int) (bool, error) {
	return cached(s.deposited, checkRef{paymentID, tender}, s.Base != nil,
		func() (bool, error) { return s.Base.Deposited(paymentID, tender) })
}

// cached answers from m, asking base (when there is one) for a key not
// seen yet and keeping its answer.
func cached[K comparable, V any](m map[K]V, k K, hasBase bool, base func() (V, error)) (V, error) {
	if v, ok := m[k]; ok || !hasBase {
		return v, nil
	}
	v, err := base()
	if err == nil {
		m[k] = v
	}
	return v, err
}

// DayFigures implements JournalHistory: Base's figures of the day plus
// those applied here.
func (s *JournalState) DayFigures(day string) (*DayFigures, error) {
	out := &DayFigures{Received: ModeTotals{}, Refunded: ModeTotals{}}
	if s.Base != nil {
		b, err := s.Base.DayFigures(day)
		if err != nil {
			return nil, err
		}
		addFigures(out, b)
	}
	if f := s.days[day]; f != nil {
		addFigures(out, f)
	}
	return out, nil
}

func addFigures(to, f *DayFigures) {
	to.Received = to.Received.Add(f.Received)
	to.Refunded = to.Refunded.Add(f.Refunded)
	to.CashDeposited += f.CashDeposited
	to.Payments += f.Payments
	to.Cancellations += f.Cancellations
	if to.FirstReceipt == "" {
		to.FirstReceipt = f.FirstReceipt
	}
	if f.LastReceipt != "" {
		to.LastReceipt = f.LastReceipt
	}
}

// LastSession implements JournalHistory.
func (s *JournalState) LastSession() (*TillSession, error) {
	if s.session != nil || s.Base == nil {
		return s.session, nil
	}
	return s.Base.LastSession()
}

// LastClosing implements JournalHistory.
func (s *JournalState) LastClosing() (*Closing, error) {
	if s.closing != nil || s.Base == nil {
		return s.closing, nil
	}
	return s.Base.LastClosing()
}
