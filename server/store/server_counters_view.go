package store

import (
	"encoding/json"
	"time"

	"github.com/regie-fr/regie"
)

// ServerCounterView is what the back-office shows of one of a régie's
// counters that live on the server (GESTION, ENLIGNE): the day's takings
// per mode and the days it closed by itself. It holds no cash, no cheque,
// no deposit: none of the desks' figures apply to it.
type ServerCounterView struct {
	Regie   string
	Kind    string // CounterBackOffice or CounterOnline
	Code    string
	Name    string
	Today   string
	Created bool // false until its first entry: nothing recorded yet
	// Day is today's figures (payments of the day, cancellations).
	Day *regie.DayFigures
	// Net is today's takings per mode, cancellations deducted.
	Net regie.ModeTotals
	// Pending are the days before today with no closing yet: the server
	// closes them within minutes (ledger.CloseDays), so one that stays is
	// a sign that the closing job does not run.
	Pending []string
	// Closings are its latest closings, latest first.
	Closings []regie.Closing
}

// closingsShown is how many closings a server counter's view lists.
const closingsShown = 10

// ServerCounterViews gives the server counters of each régie of regies
// (those the visitor may see), back-office then online, as of now in the
// régie's time zone. It reads and writes nothing else: a counter not
// created yet is shown as such.
func (t *Tx) ServerCounterViews(regies []string, now time.Time) ([]ServerCounterView, error) {
	var out []ServerCounterView
	for _, code := range regies {
		r, err := t.Regie(code)
		if err != nil {
			return nil, err
		} else if r == nil {
			continue
		}
		today := regie.DayOf(now, RegieLocation(r))
		for _, kind := range []string{CounterBackOffice, CounterOnline} {
			v := ServerCounterView{Regie: code, Kind: kind, Code: serverCounterCodes[kind],
				Name: serverCounterNames[kind], Today: today, Net: regie.ModeTotals{}}
			c, err := t.CounterByCode(code, v.Code)
			if err != nil {
				return nil, err
			}
			if c != nil {
				if k, err := t.CounterKind(c.ID); err != nil {
					return nil, err
				} else if k == kind {
					if err := t.fillServerCounterView(c, &v); err != nil {
						return nil, err
					}
				}
			}
			out = append(out, v)
		}
	}
	return out, nil
}

func (t *Tx) fillServerCounterView(c *Counter, v *ServerCounterView) error {
	v.Created, v.Name = true, c.Name
	h := t.CounterHistory(c)
	f, err := h.DayFigures(v.Today)
	if err != nil {
		return err
	}
	v.Day, v.Net = f, f.Net()
	if v.Pending, err = t.unclosedDays(c.ID, v.Today); err != nil {
		return err
	}
	rows, err := t.query(`SELECT data FROM journal INDEXED BY journal_closing_days
		WHERE counter_id = ? AND kind = 'closing' ORDER BY json_extract(data, '$.day') DESC LIMIT ?`, c.ID, closingsShown)
	if err != nil {
		return wrap("server counter closings", err)
	}
	defer rows.Close()
	for rows.Next() {
		var data string
		var cl regie.Closing
		if err := rows.Scan(&data); err != nil {
			return wrap("server counter closings", err)
		}
		if err := json.Unmarshal([]byte(data), &cl); err != nil {
			return wrap("server counter closings", err)
		}
		v.Closings = append(v.Closings, cl)
	}
	return wrap("server counter closings", rows.Err())
}

// AgentName is who recorded an entry, as receipts name them: a counter's
// agent, a back-office account, or the machine that recorded on a server
// counter (PayFiP, Publik, a bank statement, the server itself).
func (t *Tx) AgentName(regieCode, id string) string { return t.agentName(regieCode, id) }
