package store

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// Level is how urgent an alert is.
type Level int

// The levels, most urgent first: critique is money or evidence at risk
// now (the plafond passed, a chain broken, a counter that can no longer
// send its journal); important is what the régisseur must do today; info is
// worth knowing.
const (
	Critique Level = iota + 1
	Important
	Info
)

// Label is the level as the page says it.
func (l Level) Label() string {
	switch l {
	case Critique:
		return "critique"
	case Important:
		return "important"
	}
	return "info"
}

// Alert is one thing on the dashboard that needs someone's attention.
type Alert struct {
	Level   Level
	Kind    string // what it is about, stable: "ceiling", "chain_broken"…
	Regie   string
	Counter string // "" for the régie as a whole
	// Since is when the matter began (its age sorts alerts of one level);
	// Day is its day when it began with one (a day not closed, a cheque
	// taken on a day), "" when Since is an instant.
	Since time.Time
	Day   string
	// Undated tells that when it began is not known (the plafond passed
	// at some entry): Since is then the moment of reading, for the order.
	Undated bool
	Message string // French
}

// staleSync is how long a counter may stay silent before the dashboard
// says so.
const staleSync = 48 * time.Hour

// regieAlerts lists what the régie's figures call for, most urgent first.
func regieAlerts(d *RegieDashboard, now time.Time) []Alert {
	r := &d.Regie
	loc := RegieLocation(r)
	dayStart := func(day string) time.Time {
		t, err := time.ParseInLocation(time.DateOnly, day, loc)
		if err != nil {
			return now
		}
		return t
	}
	var out []Alert
	add := func(l Level, kind, counter string, since time.Time, format string, args ...any) {
		out = append(out, Alert{Level: l, Kind: kind, Regie: r.Code, Counter: counter, Since: since,
			Message: fmt.Sprintf(format, args...)})
	}
	addDay := func(l Level, kind, counter, day string, format string, args ...any) {
		add(l, kind, counter, dayStart(day), format, args...)
		out[len(out)-1].Day = day
	}
	if d.OverCeiling {
		add(Critique, "ceiling", "", now, "Encaisse de %s au-dessus du plafond d'encaisse de %s : un versement au comptable s'impose.",
			d.Held, r.CashCeiling)
		out[len(out)-1].Undated = true
	}
	for i := range d.Counters {
		c := &d.Counters[i]
		code := c.Counter.Code
		if ch := c.Chain; ch != nil && ch.BrokenSeq > 0 {
			add(Critique, "chain_broken", code, ch.At, "Chaîne du journal rompue à l'entrée n° %d (%s).", ch.BrokenSeq, ch.BrokenMotif)
		} else if ch != nil && ch.Problems > 0 {
			add(Critique, "chain_problems", code, ch.At, "Vérification du journal : %d anomalie(s), dont %s", ch.Problems,
				strings.TrimSuffix(ch.FirstProblem, "."))
		} else if ch == nil && c.Head > 0 {
			add(Info, "chain_unverified", code, c.LastReceived, "Journal pas encore vérifié par le serveur.")
		}
		if c.RefusalsOpen {
			f := c.Refusals[0]
			if c.Blocked > 1 {
				add(Critique, "sync_refused", code, c.BlockedSince, "Synchronisation refusée %d fois depuis le %s, en dernier à l'entrée n° %d : %s",
					c.Blocked, frDate(c.BlockedSince.In(loc).Format(time.DateOnly)), f.Seq, f.Message)
			} else {
				add(Critique, "sync_refused", code, f.At, "Synchronisation refusée à l'entrée n° %d : %s", f.Seq, f.Message)
			}
		}
		if c.ReportedHead >= 0 && c.ReportedHead < c.Head {
			add(Critique, "head_behind", code, c.ReportedAt,
				"Le poste déclare %d entrée(s) quand le serveur en a reçu %d : fichier de caisse remplacé ou restauré ?", c.ReportedHead, c.Head)
		}
		clock := addDays(c.DepositClock, r.DepositPeriodDays)
		switch {
		case c.DepositLate:
			addDay(Critique, "deposit_late", code, clock, "Versement en retard : rien n'a été versé depuis le %s (%d jours, pour %d au plus).",
				frDate(c.DepositClock), c.DepositDays, r.DepositPeriodDays)
		case c.DepositDue:
			addDay(Important, "deposit_due", code, clock, "Versement dû aujourd'hui : rien n'a été versé depuis le %s.", frDate(c.DepositClock))
		}
		for _, day := range c.Unclosed {
			addDay(Important, "day_unclosed", code, day, "Journée du %s non clôturée.", frDate(day))
		}
		if len(c.Late) > 0 {
			var total regie.Money
			for _, ch := range c.Late {
				total += ch.Amount
			}
			addDay(Important, "checks_late", code, c.Late[0].Day,
				"%d chèque(s) pour %s en caisse depuis plus d'un jour (le plus ancien du %s) : à remettre en banque.",
				len(c.Late), total, frDate(c.Late[0].Day))
		}
		for _, df := range c.Differences {
			l := Info
			if df.Cash < 0 || df.Card < 0 {
				l = Important
			}
			addDay(l, "difference", code, df.Day, "Écart à la clôture du %s : %s", frDate(df.Day), df.Describe())
		}
		if c.Pending > 0 {
			l := Info
			if now.Sub(c.Seen) > time.Hour {
				l = Important
			}
			add(l, "pending", code, c.ReportedAt, "%d entrée(s) enregistrée(s) au poste pas encore reçues par le serveur.", c.Pending)
		}
		if last := latest(c.Seen, c.LastReceived); !c.Counter.Revoked && c.Counter.Enrolled && now.Sub(last) > staleSync {
			if last.IsZero() {
				add(Info, "silent", code, now, "Le poste n'a jamais synchronisé.")
			} else {
				add(Info, "silent", code, last, "Aucune nouvelle du poste depuis le %s.", frDate(last.In(loc).Format(time.DateOnly)))
			}
		}
	}
	sortAlerts(out)
	return out
}

// Describe says a difference in French: the cash écart (excédent or
// déficit), the card one, and the comment.
func (d Difference) Describe() string {
	var parts []string
	switch {
	case d.Cash > 0:
		parts = append(parts, "excédent de "+d.Cash.String())
	case d.Cash < 0:
		parts = append(parts, "déficit de "+(-d.Cash).String())
	}
	if d.Card != 0 {
		parts = append(parts, "écart carte de "+d.Card.String())
	}
	return strings.Join(parts, ", ") + "."
}

// sortAlerts puts the most urgent first, then the oldest.
func sortAlerts(as []Alert) {
	sort.SliceStable(as, func(i, j int) bool {
		a, b := as[i], as[j]
		if a.Level != b.Level {
			return a.Level < b.Level
		}
		if !a.Since.Equal(b.Since) {
			return a.Since.Before(b.Since)
		}
		if a.Regie != b.Regie {
			return a.Regie < b.Regie
		}
		return a.Counter < b.Counter
	})
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// frDate writes 2026-11-27 as 27/11/2026.
func frDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}
