package printing

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/regie-fr/regie"
)

// French names used in dates; documents are in French whatever the
// machine's locale.
var (
	frMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
		"août", "septembre", "octobre", "novembre", "décembre"}
	frDays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
)

// locations caches the régies' time zones: loading one reads the zone
// database, which costs more than a whole receipt.
var locations sync.Map

// location is the régie's time zone (Europe/Paris when unset), or the
// machine's when the zone database lacks it (a Windows machine without
// Go's zone data): a receipt is never refused over a time zone.
func location(r *regie.Regie) *time.Location {
	name := r.Timezone
	if name == "" {
		name = "Europe/Paris"
	}
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.Local
	}
	locations.Store(name, l)
	return l
}

// frDate is "27/11/2026".
func frDate(t time.Time) string { return t.Format("02/01/2006") }

// frDateTime is "27/11/2026 à 10:42".
func frDateTime(t time.Time) string { return t.Format("02/01/2006 à 15:04") }

// frLongDay is "vendredi 27 novembre 2026" for a day written YYYY-MM-DD; a
// malformed day is printed as it is.
func frLongDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	d := fmt.Sprintf("%s %d %s %d", frDays[t.Weekday()], t.Day(), frMonths[t.Month()-1], t.Year())
	return strings.Replace(d, " 1 ", " 1er ", 1)
}

// frWeekDay is "mercredi 11/11" for a day written YYYY-MM-DD.
func frWeekDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return frDays[t.Weekday()] + " " + t.Format("02/01")
}

// frShortDay is "27/11/2026" for a day written YYYY-MM-DD.
func frShortDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return frDate(t)
}

// frMonth is "novembre 2026".
func frMonth(y int, m time.Month) string {
	if m < 1 || m > 12 {
		return fmt.Sprintf("%02d/%d", int(m), y)
	}
	return fmt.Sprintf("%s %d", frMonths[m-1], y)
}

// shortHash shows the first 16 hex digits of a hash in groups of four,
// enough to compare with the journal by eye.
func shortHash(h string) string {
	if len(h) > 16 {
		h = h[:16]
	}
	var b strings.Builder
	for i := 0; i < len(h); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h[i:min(i+4, len(h))])
	}
	return b.String()
}

// nameOf returns the agent's name, or the id when the name is unknown.
func nameOf(agents map[string]string, id string) string {
	if n := agents[id]; n != "" {
		return n
	}
	return id
}

// plural adds an "s" to word when n is not 0 or 1, the French rule.
func plural(n int, word string) string {
	if n > 1 || n < -1 {
		return fmt.Sprintf("%d %ss", n, word)
	}
	return fmt.Sprintf("%d %s", n, word)
}

// tenderDetail says what identifies a tender: a cheque's number, bank and
// drawer, a card's masked number and authorisation, the cash handed over
// and the change, a transfer's reference, the number of vouchers.
func tenderDetail(t *regie.Tender) string {
	var parts []string
	add := func(format, v string) {
		if strings.TrimSpace(v) != "" {
			parts = append(parts, fmt.Sprintf(format, v))
		}
	}
	switch t.Mode {
	case regie.Cash:
		if t.Tendered > 0 && t.Change > 0 {
			parts = append(parts, "remis "+t.Tendered.String(), "rendu "+t.Change.String())
		}
	case regie.Check:
		add("n° %s", t.CheckNumber)
		add("%s", t.Bank)
		add("tireur : %s", t.Drawer)
	case regie.Card:
		add("%s", t.MaskedPAN)
		add("autorisation %s", t.Authorisation)
		if t.Keyed {
			parts = append(parts, "saisie manuelle")
		}
	case regie.Transfer, regie.DirectDebit, regie.Online:
		add("réf. %s", t.Reference)
		if d, err := time.Parse(time.DateOnly, t.ValueDate); err == nil {
			parts = append(parts, "valeur "+d.Format("02/01/2006"))
		}
	case regie.HolidayCheck, regie.CESU:
		if t.Count > 0 {
			parts = append(parts, plural(t.Count, "titre"))
		}
	}
	return strings.Join(parts, " – ")
}

// modesOf lists, in the report order, the modes that appear in any of the
// totals, so reports show no column of zeros.
func modesOf(ts ...regie.ModeTotals) []regie.PaymentMode {
	var out []regie.PaymentMode
	for _, m := range regie.Modes {
		for _, t := range ts {
			if t[m] != 0 {
				out = append(out, m)
				break
			}
		}
	}
	return out
}
