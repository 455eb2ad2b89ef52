package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

// journalScreen lists the day's journal with filters and totals per mode;
// a payment opens to its detail, reprint and cancellation.
type journalScreen struct {
	u       *UI
	box     fyne.CanvasObject
	all     []app.JournalLine
	shown   []app.JournalLine
	agents  []regie.Agent
	list    *widget.List
	mode    *widget.Select
	agent   *widget.Select
	who     *keyEntry
	totals  *widget.Label
	err     message
	detail  *paymentDetail
	current int
}

const allModes, allAgents = "Tous les modes", "Tous les agents"

func newJournalScreen(u *UI) *journalScreen {
	j := &journalScreen{u: u, totals: widget.NewLabel(""), err: newMessage(), current: -1}
	j.totals.Wrapping = fyne.TextWrapWord
	j.list = widget.NewList(func() int { return len(j.shown) }, journalRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		j.fillRow(j.shown[i], o.(*fyne.Container))
	})
	j.list.OnSelected = func(i widget.ListItemID) { j.open(i) }
	modes := []string{allModes}
	for _, m := range regie.Modes {
		modes = append(modes, m.Label())
	}
	j.mode = widget.NewSelect(modes, func(string) { j.filter() })
	j.agent = widget.NewSelect([]string{allAgents}, func(string) { j.filter() })
	j.who = newKeyEntry(u, "foyer, payeur ou n° de reçu")
	j.who.OnChanged = func(string) { j.filter() }
	j.mode.SetSelected(allModes)
	j.agent.SetSelected(allAgents)
	j.detail = newPaymentDetail(j)
	filters := container.NewGridWithColumns(3, j.mode, j.agent, j.who)
	header := newColumns(journalWidths, heading("Heure"), heading("Reçu"), heading("Payeur"),
		heading("Montant"), heading("Modes"), heading("Opération"))
	left := container.NewBorder(container.NewVBox(filters, header), container.NewVBox(j.totals, j.err.Label), nil, nil, j.list)
	split := container.NewHSplit(left, container.NewVScroll(j.detail.box))
	split.Offset = 0.68
	j.box = split
	return j
}

// journalWidths are the journal's column widths: a receipt number and a
// name fit whole.
var journalWidths = []float32{80, 215, 180, 100, 150}

func journalRow() fyne.CanvasObject {
	cells := make([]fyne.CanvasObject, 6)
	for i := range cells {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		cells[i] = l
	}
	return newColumns(journalWidths, cells...)
}

func (j *journalScreen) fillRow(l app.JournalLine, row *fyne.Container) {
	modes := make([]string, len(l.Modes))
	for i, m := range l.Modes {
		modes[i] = m.Label()
	}
	amount := ""
	if l.Amount != 0 || l.Kind == regie.KindPayment {
		amount = l.Amount.String()
	}
	what := l.Summary
	if l.Cancelled {
		what += " — ANNULÉ"
	}
	for i, text := range []string{l.At, l.Receipt, l.Payer, amount, strings.Join(modes, " + "), what} {
		row.Objects[i].(*widget.Label).SetText(text)
	}
}

// enter reloads the day and sets Escape to close the detail.
func (j *journalScreen) enter(keys map[fyne.KeyName]func()) fyne.Focusable {
	j.reload()
	keys[fyne.KeyEscape] = func() { j.list.UnselectAll(); j.detail.clear() }
	return j.who
}

func (j *journalScreen) reload() {
	var err error
	day := j.u.svc.Today()
	if st, e := j.u.svc.Till(j.u.ctx); e == nil && st.Session != nil {
		day = st.Session.Day // an unclosed yesterday is still the day being worked
	}
	if j.all, err = j.u.svc.DayLines(j.u.ctx, day); err != nil {
		j.err.fail(err)
		return
	}
	if j.agents, err = j.u.svc.Agents(j.u.ctx); err != nil {
		j.err.fail(err)
		return
	}
	names := []string{allAgents}
	for _, a := range j.agents {
		names = append(names, a.Name)
	}
	j.agent.Options = names
	f, err := j.u.svc.DayFigures(j.u.ctx, day)
	if err != nil {
		j.err.fail(err)
		return
	}
	net := f.Net()
	parts := []string{}
	for _, m := range regie.Modes {
		if v, ok := net[m]; ok {
			parts = append(parts, m.Label()+" "+v.String())
		}
	}
	j.totals.SetText("Journée du " + frenchDay(day) + " — " + itoa(f.Payments) + " paiement(s), " + itoa(f.Cancellations) +
		" annulation(s). Totaux nets : " + strings.Join(parts, " · ") + " — total " + net.Total().String())
	j.err.say("")
	j.filter()
}

// filter keeps the lines matching the mode, agent and text chosen.
func (j *journalScreen) filter() {
	j.shown = j.shown[:0]
	q := strings.ToLower(strings.TrimSpace(j.who.Text))
	for _, l := range j.all {
		if j.mode.Selected != "" && j.mode.Selected != allModes && !hasMode(l.Modes, j.mode.Selected) {
			continue
		}
		if j.agent.Selected != "" && j.agent.Selected != allAgents && j.u.agentName(l.Agent, j.agents) != j.agent.Selected {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(l.Payer+" "+l.Household+" "+l.Receipt), q) {
			continue
		}
		j.shown = append(j.shown, l)
	}
	j.list.UnselectAll()
	j.list.Refresh()
}

func hasMode(ms []regie.PaymentMode, label string) bool {
	for _, m := range ms {
		if m.Label() == label {
			return true
		}
	}
	return false
}

// open shows a line's payment in the detail panel.
func (j *journalScreen) open(i int) {
	if i >= len(j.shown) || j.shown[i].PaymentID == "" {
		j.detail.clear()
		return
	}
	j.detail.load(j.shown[i].PaymentID)
}

func itoa(n int) string { return strconv.Itoa(n) }
