package app

import (
	"encoding/json"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/printing"
)

// ClosingInfo is what the Z report shows besides the closing: the régie's
// settings and the agents' names as they were when the day was closed,
// the chain's head, and the day's payments for its annex.
type ClosingInfo struct {
	Regie         regie.Regie
	Counter       regie.Counter
	Closing       *regie.Closing
	Agents        map[string]string
	LastSeq       int64
	LastHash      string
	Payments      []regie.Payment
	Cancellations []regie.Cancellation
}

// ClosingInfoFromJournal is the Z report of the closing entry closing,
// derived from the journal alone, so that the counter and the server (from
// its copy of the journal) print the same bytes, today or in ten years:
//   - the régie's settings are those of the last settings entry before the
//     closing (versions, in seq order), what the counter applied that day;
//     current is used only when the journal has none;
//   - the agents' names are the last ones the settings entries gave each
//     agent up to the closing (an agent renamed or removed later keeps the
//     name the counter knew);
//   - the payments and cancellations are the entries of the closing's day
//     among day (any superset of them, in seq order).
//
// counterName is the counter's name, which the journal does not hold: the
// server gives it to the counter (pull) and never changes it.
func ClosingInfoFromJournal(counterName string, current *regie.Regie, versions, day []regie.Entry, closing *regie.Entry) (*ClosingInfo, error) {
	obj, err := regie.DecodeEntry(closing)
	if err != nil {
		return nil, err
	}
	cl, ok := obj.(*regie.Closing)
	if !ok {
		return nil, regie.Errorf(regie.ENotFound, "Arrêté de caisse introuvable.")
	}
	out := &ClosingInfo{Closing: cl, LastSeq: closing.Seq, LastHash: closing.Hash}
	if out.Regie, out.Agents, err = SettingsAsOf(current, versions, closing.Seq); err != nil {
		return nil, err
	}
	out.Counter = regie.Counter{Code: closing.Counter, Regie: out.Regie.Code, Name: counterName}
	for i := range day {
		e := &day[i]
		if e.Seq > closing.Seq {
			break
		}
		switch e.Kind {
		case regie.KindPayment:
			var p regie.Payment
			if err := json.Unmarshal(e.Data, &p); err != nil {
				return nil, err
			}
			if p.Day == cl.Day {
				out.Payments = append(out.Payments, p)
			}
		case regie.KindCancellation:
			var x regie.Cancellation
			if err := json.Unmarshal(e.Data, &x); err != nil {
				return nil, err
			}
			if x.Day == cl.Day {
				out.Cancellations = append(out.Cancellations, x)
			}
		}
	}
	return out, nil
}

// ZReport is the Z report's printing data, the one construction the
// counter's printer and the server's back-office share.
func (ci *ClosingInfo) ZReport() *printing.ZReportData {
	return &printing.ZReportData{
		Issuer:  printing.Issuer{Regie: ci.Regie, Counter: ci.Counter.Name},
		Closing: ci.Closing, Agents: ci.Agents, LastSeq: ci.LastSeq, LastHash: ci.LastHash,
		Payments: ci.Payments, Cancellations: ci.Cancellations,
	}
}

// SettingsAsOf is what the journal says of the régie's settings and agents
// before entry seq: the settings of the last settings entry among versions
// (current when there is none), and each agent's last name.
func SettingsAsOf(current *regie.Regie, versions []regie.Entry, seq int64) (regie.Regie, map[string]string, error) {
	var settings regie.Regie
	if current != nil {
		settings = *current
	}
	agents := map[string]string{}
	for i := range versions {
		e := &versions[i]
		if e.Kind != regie.KindSettings || e.Seq >= seq {
			continue
		}
		var sc regie.SettingsChange
		if err := json.Unmarshal(e.Data, &sc); err != nil {
			return settings, nil, err
		}
		settings = sc.Settings
		for _, a := range sc.Agents {
			agents[a.ID] = a.Name
		}
	}
	return settings, agents, nil
}
