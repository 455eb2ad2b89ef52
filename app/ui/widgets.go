package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie"
)

// keyEntry is an entry that lets the screen's function keys and Escape
// through: Fyne sends keys to the focused widget only, and the agent's
// fingers are in an entry most of the time.
type keyEntry struct {
	widget.Entry
	ui *UI
}

func newKeyEntry(u *UI, placeholder string) *keyEntry {
	e := &keyEntry{ui: u}
	e.PlaceHolder = placeholder
	e.ExtendBaseWidget(e)
	return e
}

func newPINEntry(u *UI, placeholder string) *keyEntry {
	e := newKeyEntry(u, placeholder)
	e.Password = true
	return e
}

// TypedKey runs the screen's action for the key, or types it.
func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.ui.handleKey(ev) {
		return
	}
	e.Entry.TypedKey(ev)
}

// keyButton is a button that lets the screen's function keys through.
type keyButton struct {
	widget.Button
	ui *UI
}

func newKeyButton(u *UI, label string, tapped func()) *keyButton {
	b := &keyButton{ui: u}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey runs the screen's action for the key, or presses the button:
// Enter presses it too, as agents expect.
func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	if b.ui.handleKey(ev) {
		return
	}
	if (ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter) && !b.Disabled() && b.OnTapped != nil {
		b.OnTapped()
		return
	}
	b.Button.TypedKey(ev)
}

// keyCheck is a check box that lets the screen's function keys through.
type keyCheck struct {
	widget.Check
	ui *UI
}

func newKeyCheck(u *UI, label string, changed func(bool)) *keyCheck {
	c := &keyCheck{ui: u}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey runs the screen's action for the key.
func (c *keyCheck) TypedKey(ev *fyne.KeyEvent) {
	if !c.ui.handleKey(ev) {
		c.Check.TypedKey(ev)
	}
}

// message is a label for a French sentence: an error in red, or a notice.
type message struct {
	*widget.Label
}

func newMessage() message {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	l.Hide()
	return message{l}
}

// fail shows err's French message; nil hides the label.
func (m message) fail(err error) {
	m.Importance = widget.DangerImportance
	m.say(regie.ErrorMessage(err))
}

// info shows a notice in the normal colour.
func (m message) info(text string) {
	m.Importance = widget.SuccessImportance
	m.say(text)
}

func (m message) say(text string) {
	m.SetText(text)
	if text == "" {
		m.Hide()
	} else {
		m.Show()
	}
	m.Refresh()
}

// parseAmount reads an amount typed by an agent; empty is zero.
func parseAmount(s string) (regie.Money, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	return regie.ParseMoney(s)
}

// bigText is a large line of text, for the amount due and the receipt
// number the agent reads out.
func bigText(text string, size float32) *canvas.Text {
	t := canvas.NewText(text, theme.Color(theme.ColorNameForeground))
	t.TextSize = size
	t.TextStyle = fyne.TextStyle{Bold: true}
	return t
}

// setBig changes a big text and its colour.
func setBig(t *canvas.Text, text string, c color.Color) {
	t.Text = text
	if c != nil {
		t.Color = c
	}
	t.Refresh()
}

// heading is a bold label.
func heading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}
