package store

import (
	"context"
	"slices"
	"time"

	"github.com/regie-fr/regie"
)

// RegieDashboard is one régie on the back-office's dashboard: its counters'
// figures, its own totals against its acte constitutif, and its alerts.
type RegieDashboard struct {
	Regie    regie.Regie
	Today    string // the régie's local day the figures are of
	Counters []CounterDashboard
	// Held is what the régie's counters hold for the comptable (cash above
	// the float, and cheques), against the plafond d'encaisse.
	Held        regie.Money
	OverCeiling bool
	Alerts      []Alert
}

// CounterDashboard is what the server knows of one counter's state.
type CounterDashboard struct {
	Counter Counter
	// Cash is the cash the till holds per its journal: the open day's
	// expected cash (float + cash received − refunded − deposited), or the
	// cash counted at the last closing.
	Cash regie.Money
	// Held is the takings not handed over: cash above the régie's float,
	// and the cheques held.
	Held regie.Money
	// Checks are the cheques held (never cancelled, not yet deposited);
	// Late those of them held past the day after they were received.
	Checks      []HeldCheck
	ChecksTotal regie.Money
	Late        []HeldCheck
	// Unclosed are the days with a till opened and no closing, before today.
	Unclosed []string
	// Differences are this month's closings with a cash or card difference.
	Differences []Difference
	// LastDeposit is the day of the last deposit ("" before the first);
	// DepositClock the day the deposit period runs from (the last deposit,
	// or the counter's first day); DepositDays the days since.
	LastDeposit  string
	DepositClock string
	DepositDays  int
	DepositDue   bool // the period is reached and something is held
	DepositLate  bool // the period is exceeded
	// Head is the last entry the server holds; LastReceived when it came
	// (zero before the first).
	Head         int64
	LastReceived time.Time
	// Seen is the counter's last request (zero when never seen since this
	// was recorded); ReportedHead the head of its own journal it last said
	// it had (-1 when unknown: its program does not say), and Pending the
	// entries it holds that the server has not (-1 when unknown).
	Seen         time.Time
	ReportedHead int64
	ReportedAt   time.Time
	Pending      int64
	// Chain is the last verification of its journal, nil before the first.
	Chain *ChainCheck
	// Refusals are its last refused pushes, latest first (at most
	// refusalsShown); RefusalsOpen tells whether the latest came after the
	// last entry received, so the counter is still blocked: since
	// BlockedSince, refused Blocked times.
	Refusals     []Refusal
	RefusalsOpen bool
	BlockedSince time.Time
	Blocked      int
}

// HeldCheck is a cheque still in a till. The drawer's name is left out:
// the dashboard shows no citizen data.
type HeldCheck struct {
	Receipt string
	Number  string
	Bank    string
	Amount  regie.Money
	Day     string
}

// Difference is a closing with an écart: cash counted against expected, or
// card total against the terminal's, and the comment that explains it.
type Difference struct {
	Day     string
	Agent   string
	Cash    regie.Money
	Card    regie.Money
	Comment string
}

// Dashboard gives the figures of each régie of regies (those the visitor
// may see: an empty list gives nothing), as of now in each régie's time
// zone, counters by code and régies in the list's order. It reads one
// consistent state and writes nothing.
func (s *Store) Dashboard(ctx context.Context, regies []string, now time.Time) ([]RegieDashboard, error) {
	out := []RegieDashboard{}
	if len(regies) == 0 {
		return out, nil
	}
	err := s.View(ctx, func(t *Tx) error {
		counters, err := t.Counters()
		if err != nil {
			return err
		}
		for _, code := range regies {
			r, err := t.Regie(code)
			if err != nil {
				return err
			} else if r == nil || slices.ContainsFunc(out, func(d RegieDashboard) bool { return d.Regie.Code == code }) {
				continue
			}
			d := RegieDashboard{Regie: *r, Today: regie.DayOf(now, RegieLocation(r)), Counters: []CounterDashboard{}}
			for _, c := range counters {
				if c.Regie != code {
					continue
				}
				// The counters that live on the server (GESTION, ENLIGNE)
				// hold no cash and never sync: the desks' figures would
				// only raise false alerts about them.
				if kind, err := t.CounterKind(c.ID); err != nil {
					return err
				} else if kind != "desk" {
					continue
				}
				cd, err := t.counterDashboard(&c, r, d.Today)
				if err != nil {
					return err
				}
				d.Held += cd.Held
				d.Counters = append(d.Counters, *cd)
			}
			d.OverCeiling = r.CashCeiling > 0 && d.Held > r.CashCeiling
			d.Alerts = regieAlerts(&d, now)
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AllAlerts gathers the régies' alerts, most urgent first (level, then the
// oldest first).
func AllAlerts(ds []RegieDashboard) []Alert {
	var out []Alert
	for _, d := range ds {
		out = append(out, d.Alerts...)
	}
	sortAlerts(out)
	return out
}
