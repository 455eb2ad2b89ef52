package backoffice

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/printing"
	"github.com/regie-fr/regie/server/store"
)

// The documents of closings and deposits, rebuilt on the server from the
// journal alone with the counter's own code (app.ClosingInfoFromJournal,
// printing): the Z report downloaded here is the counter's, byte for byte.
// Each takes the régies the visitor may export; nil bytes mean "not found
// among them", which the handler cannot tell from "does not exist".

// zReportPDF is the arrêté de caisse of a counter's day.
func zReportPDF(tx *store.Tx, regies []string, regieCode, counter, day string) ([]byte, error) {
	cj, err := tx.ClosingJournalOf(regies, regieCode, counter, day)
	if err != nil || cj == nil {
		return nil, err
	}
	info, err := app.ClosingInfoFromJournal(cj.Counter.Name, cj.Current, cj.Settings, cj.Day, cj.Closing)
	if err != nil {
		return nil, err
	}
	zd := info.ZReport()
	if err := serverZReport(tx, &cj.Counter, zd); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := printing.WriteZReportPDF(&b, zd); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// serverZReport marks the report of a counter that lives on the server
// (no cash to count: printing leaves the billetage out) and names who
// recorded its payments: back-office accounts, which the counters' agents
// list does not hold, and the server itself for what it did alone.
func serverZReport(tx *store.Tx, c *store.Counter, zd *printing.ZReportData) error {
	kind, err := tx.CounterKind(c.ID)
	if err != nil || kind == store.CounterDesk {
		return err
	}
	zd.ServerCounter = true
	if zd.Agents == nil {
		zd.Agents = map[string]string{}
	}
	ids := []string{zd.Closing.Agent}
	for _, p := range zd.Payments {
		ids = append(ids, p.Agent)
	}
	for _, id := range ids {
		if _, ok := zd.Agents[id]; !ok {
			zd.Agents[id] = tx.AgentName(c.Regie, id)
		}
	}
	return nil
}

// monthlyStatementPDF is the état mensuel of a régie, from its closings of
// the month (every counter's); nil when the régie is outside regies.
func monthlyStatementPDF(tx *store.Tx, regies []string, regieCode string, month time.Time) ([]byte, error) {
	if !slices.Contains(regies, regieCode) {
		return nil, nil
	}
	r, err := tx.Regie(regieCode)
	if err != nil || r == nil {
		return nil, err
	}
	first := month.Format("2006-01") + "-01"
	last := month.AddDate(0, 1, -1).Format(time.DateOnly)
	rows, err := tx.Closings([]string{regieCode}, first, last)
	if err != nil {
		return nil, err
	}
	d := &printing.MonthlyStatementData{Issuer: printing.Issuer{Regie: *r}, Year: month.Year(), Month: month.Month()}
	for _, row := range rows {
		d.Closings = append(d.Closings, row.Closing)
	}
	var b bytes.Buffer
	if err := printing.WriteMonthlyStatementPDF(&b, d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// depositPDF is a deposit's bordereau de versement, or (checks) its
// bordereau de remise de chèques, with the régie's settings and the agent's
// name as the counter's journal gave them before the deposit.
func depositPDF(tx *store.Tx, regies []string, id string, checks bool) ([]byte, *store.DepositRow, error) {
	row, err := tx.DepositByID(regies, id)
	if err != nil || row == nil {
		return nil, nil, err
	}
	if checks && len(row.Deposit.Checks) == 0 {
		return nil, nil, nil
	}
	current, err := tx.Regie(row.Regie)
	if err != nil {
		return nil, nil, err
	}
	versions, err := tx.SettingsEntries(&store.Counter{ID: row.CounterID, Code: row.Counter}, row.Seq)
	if err != nil {
		return nil, nil, err
	}
	settings, agents, err := app.SettingsAsOf(current, versions, row.Seq)
	if err != nil {
		return nil, nil, err
	}
	issuer := printing.Issuer{Regie: settings, Counter: row.CounterName}
	agent := agents[row.Deposit.Agent]
	if agent == "" {
		agent = row.Deposit.Agent
	}
	dep := &row.Deposit
	var b bytes.Buffer
	if checks {
		err = printing.WriteCheckRemittancePDF(&b, &printing.CheckRemittanceData{Issuer: issuer, Number: dep.Reference,
			Date: dep.At, Agent: agent, Checks: dep.Checks})
	} else {
		err = printing.WriteDepositSlipPDF(&b, &printing.DepositSlipData{Issuer: issuer, Deposit: dep, Agent: agent})
	}
	if err != nil {
		return nil, nil, err
	}
	return b.Bytes(), row, nil
}

// counterRef writes a counter's reference in addresses, "ENF-C01": codes
// are capitals and digits, so the dash parts them unambiguously.
func counterRef(regieCode, counter string) string { return regieCode + "-" + counter }

// parseCounterRef reads "ENF-C01".
func parseCounterRef(s string) (regieCode, counter string, err error) {
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			if i == 0 || i == len(s)-1 {
				break
			}
			return s[:i], s[i+1:], nil
		}
	}
	return "", "", fmt.Errorf("backoffice: counter reference %q", s)
}
