package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/regie-fr/regie"
)

// TestGoldenScreens compares the login, cashier and closing screens with
// their saved renders (testdata/*.xml): a layout change shows up in review.
func TestGoldenScreens(t *testing.T) {
	h := newHarness(t)
	u := h.u
	test.AssertRendersToMarkup(t, "login.xml", h.w.Canvas())

	h.login("mdupont", "1234")
	h.fill(u.open.total, "150")
	h.key(fyne.KeyReturn)
	c := u.main.cashier
	test.Type(c.search, "nguyen")
	h.key(fyne.KeyReturn)
	test.Tap(c.invoices[0].check)
	h.key(fyne.KeyF1)
	h.fill(c.tenders[0].tendered, "70")
	test.AssertRendersToMarkup(t, "cashier.xml", h.w.Canvas())

	h.key(fyne.KeyEscape)
	h.key(fyne.KeyF10)
	cl := u.main.closing
	for i, d := range regie.Denominations {
		if d == 100_00 || d == 50_00 {
			h.fill(cl.grid.entries[i], "1")
		}
	}
	test.AssertRendersToMarkup(t, "closing.xml", h.w.Canvas())
}
