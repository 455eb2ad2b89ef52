package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/regie-fr/regie"
)

// visibleText tells whether a canvas.Text saying want is drawn in the
// window: it and every container above it visible.
func visibleText(w fyne.Window, want string) bool {
	var walk func(o fyne.CanvasObject) bool
	walk = func(o fyne.CanvasObject) bool {
		if o == nil || !o.Visible() {
			return false
		}
		if t, ok := o.(*canvas.Text); ok && t.Text == want {
			return true
		}
		var children []fyne.CanvasObject
		switch x := o.(type) {
		case *fyne.Container:
			children = x.Objects
		case fyne.Widget:
			children = test.WidgetRenderer(x).Objects()
		}
		for _, c := range children {
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(w.Content())
}

// TestChangeShownLarge: after a cash payment with change, the confirmation
// says "Rendu : 38,40 €" in large type; after one without change it says
// nothing of the kind.
func TestChangeShownLarge(t *testing.T) {
	h := newHarness(t)
	u := h.u
	h.login("sbernard", "3456")
	h.fill(u.open.total, "150")
	h.key(fyne.KeyReturn)
	c := u.main.cashier

	pay := func(tenderedExtra regie.Money) {
		t.Helper()
		c.search.SetText("")
		test.Type(c.search, "lefe")
		h.key(fyne.KeyReturn)
		if len(c.invoices) == 0 {
			t.Fatal("no open invoice")
		}
		test.Tap(c.invoices[0].check)
		h.key(fyne.KeyF1)
		cash := c.tenders[len(c.tenders)-1]
		due, err := regie.ParseMoney(cash.amount.Text)
		if err != nil || due <= 0 {
			t.Fatalf("cash amount %q: %v", cash.amount.Text, err)
		}
		h.fill(cash.tendered, (due + tenderedExtra).String())
		h.key(fyne.KeyReturn)
		if !c.receipt.box.Visible() {
			t.Fatalf("no confirmation after the payment: %q %q %q", c.err.Text, c.tenderErr.Text, c.allocErr.Text)
		}
	}

	pay(38_40)
	const want = "Rendu : 38,40\u00a0€"
	if c.receipt.change.Text != want || !visibleText(h.w, want) {
		t.Fatalf("change on screen %q (visible %v), want %q", c.receipt.change.Text, c.receipt.change.Visible(), want)
	}
	if c.receipt.change.TextSize < 2*test.Theme().Size("text") {
		t.Fatalf("change written at %v points: not large", c.receipt.change.TextSize)
	}

	pay(0)
	if c.receipt.change.Visible() || visibleText(h.w, want) || c.receipt.change.Text != "" {
		t.Fatalf("change shown after an exact payment: %q", c.receipt.change.Text)
	}
}
