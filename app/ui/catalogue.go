package ui

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie"
)

// cataloguePanel is the tariff grid for walk-in payers: a quantity per
// item, the line totals follow.
type cataloguePanel struct {
	c     *cashierScreen
	box   *fyne.Container
	grid  *fyne.Container
	items []regie.CatalogueItem
	qty   []*keyEntry
	err   message
}

func newCataloguePanel(c *cashierScreen) *cataloguePanel {
	p := &cataloguePanel{c: c, grid: container.NewGridWithColumns(3), err: newMessage()}
	p.box = container.NewVBox(heading("Vente au catalogue"), p.grid, p.err.Label)
	return p
}

// load reads the catalogue from the counter at each showing, and builds
// its lines again only when it changed.
func (p *cataloguePanel) load() {
	items, err := p.c.u.svc.Catalogue(p.c.u.ctx)
	if err != nil {
		p.err.fail(err)
		return
	}
	if slices.Equal(items, p.items) {
		return
	}
	p.items, p.qty = items, nil
	p.grid.Objects = nil
	category := ""
	for _, it := range items {
		if it.Category != category {
			category = it.Category
			p.grid.Add(heading(category))
			p.grid.Add(widget.NewLabel(""))
			p.grid.Add(widget.NewLabel(""))
		}
		q := newKeyEntry(p.c.u, "0")
		q.OnChanged = func(string) { p.c.updateDue() }
		q.OnSubmitted = func(string) { p.c.validate() }
		p.qty = append(p.qty, q)
		p.grid.Add(widget.NewLabel(it.Label))
		p.grid.Add(widget.NewLabel(it.Price.String()))
		p.grid.Add(q)
	}
	p.grid.Refresh()
}

func (p *cataloguePanel) show(on bool) {
	if on {
		p.load()
		p.box.Show()
	} else {
		p.box.Hide()
	}
}

func (p *cataloguePanel) reset() {
	for _, q := range p.qty {
		q.SetText("")
	}
	p.err.say("")
}

func (p *cataloguePanel) first() fyne.Focusable {
	if len(p.qty) == 0 {
		return nil
	}
	return p.qty[0]
}

// quantity reads an item's quantity; what is not a whole number counts 0
// and is refused at validation.
func (p *cataloguePanel) quantity(i int) (int, bool) {
	s := strings.TrimSpace(p.qty[i].Text)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

func (p *cataloguePanel) total() regie.Money {
	if !p.c.catalogueOn {
		return 0
	}
	var s regie.Money
	for i, it := range p.items {
		if n, ok := p.quantity(i); ok {
			s += it.Price * regie.Money(n)
		}
	}
	return s
}

// allocations are the catalogue lines of the payment.
func (p *cataloguePanel) allocations() []regie.Allocation {
	if !p.c.catalogueOn {
		return nil
	}
	var out []regie.Allocation
	for i, it := range p.items {
		n, ok := p.quantity(i)
		if !ok {
			n = -1 // the core refuses it with its own message
		}
		if n != 0 {
			out = append(out, regie.Allocation{ItemCode: it.Code, Quantity: n, Amount: it.Price * regie.Money(n)})
		}
	}
	return out
}
