package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie"
)

// countGrid is the billetage: one line per note and coin, with the line's
// value and the total kept up to date as the agent types.
type countGrid struct {
	box     fyne.CanvasObject
	entries []*keyEntry
	values  []*widget.Label
	total   *widget.Label
	err     message
	changed func()
	// done runs when the agent presses Enter in the last line.
	done func()
}

func newCountGrid(u *UI, changed func()) *countGrid {
	g := &countGrid{total: heading(""), err: newMessage()}
	notes, coins := container.NewGridWithColumns(3), container.NewGridWithColumns(3)
	for i, d := range regie.Denominations {
		e := newKeyEntry(u, "0")
		v := widget.NewLabel("")
		g.entries, g.values = append(g.entries, e), append(g.values, v)
		e.OnChanged = func(string) { g.update() }
		next := i + 1
		e.OnSubmitted = func(string) {
			if next < len(g.entries) {
				u.win.Canvas().Focus(g.entries[next])
			} else if g.done != nil {
				g.done()
			}
		}
		col := coins
		if regie.IsNote(d) {
			col = notes
		}
		col.Add(widget.NewLabel(denomLabel(d)))
		col.Add(e)
		col.Add(v)
	}
	g.box = container.NewVBox(
		container.NewGridWithColumns(2,
			container.NewVBox(heading("Billets"), notes),
			container.NewVBox(heading("Pièces"), coins)),
		g.total, g.err.Label)
	g.update()
	g.changed = changed // not before: the owner is still being built
	return g
}

// denomLabel names a note or coin as agents say it: "20 €", "50 c".
func denomLabel(d regie.Money) string {
	if d >= 100 {
		return fmt.Sprintf("%d €", d/100)
	}
	return fmt.Sprintf("%d c", d)
}

// Count reads the grid; a line that is not a whole number is an error
// naming the line.
func (g *countGrid) Count() (regie.CashCount, error) {
	var c regie.CashCount
	for i, e := range g.entries {
		s := strings.TrimSpace(e.Text)
		if s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return nil, regie.Errorf(regie.EInvalid, "Nombre de %s invalide : « %s ».", denomLabel(regie.Denominations[i]), s)
		}
		c = append(c, regie.CashLine{Value: regie.Denominations[i], Count: n})
	}
	return c, nil
}

func (g *countGrid) update() {
	c, err := g.Count()
	if err != nil {
		g.err.fail(err)
		return
	}
	g.err.say("")
	for i, e := range g.entries {
		n, _ := strconv.ParseInt(strings.TrimSpace(e.Text), 10, 64)
		if n > 0 {
			g.values[i].SetText((regie.Denominations[i] * regie.Money(n)).String())
		} else {
			g.values[i].SetText("")
		}
	}
	g.total.SetText("Total compté : " + c.Total().String())
	if g.changed != nil {
		g.changed()
	}
}

// set fills the grid from a count (zero lines left blank).
func (g *countGrid) set(c regie.CashCount) {
	for i, d := range regie.Denominations {
		text := ""
		for _, l := range c {
			if l.Value == d && l.Count > 0 {
				text = strconv.FormatInt(l.Count, 10)
			}
		}
		g.entries[i].SetText(text)
	}
}
