package ui

import (
	"fmt"
	"time"

	"github.com/regie-fr/regie"
)

// MeasurePayments logs in through the login screen, opens the till if
// needed, then records n catalogue sales paid in cash through the cashier
// screen's own widgets and validate action, timing each from the validate
// key to the receipt number on screen. It runs on the UI goroutine (call it
// through fyne.DoAndWait); it serves `regie-caisse measure`.
func (u *UI) MeasurePayments(login, pin string, n int) ([]time.Duration, error) {
	u.showLogin()
	u.login.id.SetText(login)
	u.login.pin.SetText(pin)
	u.login.submit(u)
	if u.auth == nil {
		return nil, fmt.Errorf("measure: login: %s", u.login.err.Text)
	}
	if u.main == nil { // the till is not open yet
		if u.open == nil || u.open.total == nil {
			return nil, fmt.Errorf("measure: the till cannot open today")
		}
		u.open.total.SetText(u.reg.Float.FormatPlain())
		u.open.submit(u)
		if u.main == nil {
			return nil, fmt.Errorf("measure: the till did not open: %s", u.open.err.Text)
		}
	}
	c := u.main.cashier
	out := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		c.toggleCatalogue()
		if len(c.catalogue.qty) == 0 {
			return nil, fmt.Errorf("measure: empty catalogue")
		}
		c.catalogue.qty[0].SetText("1")
		c.addTender(regie.Cash)
		before := c.receipt.number.Text
		t0 := time.Now()
		c.validate()
		out = append(out, time.Since(t0))
		if c.receipt.number.Text == before {
			return nil, fmt.Errorf("measure: payment %d refused: %s %s %s", i, c.err.Text, c.tenderErr.Text, c.allocErr.Text)
		}
	}
	return out, nil
}
