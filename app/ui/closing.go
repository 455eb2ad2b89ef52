package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

// closingScreen is the evening wizard: count the cash, check the cheques
// and the card total, explain any difference, seal the day.
type closingScreen struct {
	u        *UI
	box      fyne.CanvasObject
	grid     *countGrid
	terminal *keyEntry
	comment  *keyEntry
	summary  *widget.Label
	diff     *widget.Label
	checks   *widget.Label
	others   *widget.Label
	confirm  *keyButton
	print    *keyButton
	msg      message
	closed   *regie.Closing
}

func newClosingScreen(u *UI) *closingScreen {
	s := &closingScreen{u: u, summary: widget.NewLabel(""), diff: heading(""), checks: widget.NewLabel(""),
		others: widget.NewLabel(""), msg: newMessage()}
	s.grid = newCountGrid(u, s.recompute)
	s.grid.done = func() { u.win.Canvas().Focus(s.terminal) }
	s.terminal = newKeyEntry(u, "total du ticket de fin de journée du TPE")
	s.terminal.OnChanged = func(string) { s.recompute() }
	s.terminal.OnSubmitted = func(string) { u.win.Canvas().Focus(s.comment) }
	s.comment = newKeyEntry(u, "obligatoire s'il y a un écart")
	s.comment.OnSubmitted = func(string) { s.seal() }
	s.confirm = newKeyButton(u, "Clôturer la journée", s.seal)
	s.confirm.Importance = widget.HighImportance
	s.print = newKeyButton(u, "Imprimer l'arrêté (Z)", s.printZ)
	s.print.Hide()
	for _, l := range []*widget.Label{s.summary, s.checks, s.others} {
		l.Wrapping = fyne.TextWrapWord
	}
	right := container.NewVBox(heading("Arrêté de caisse"), s.summary, s.diff,
		widget.NewForm(widget.NewFormItem("Total TPE", s.terminal), widget.NewFormItem("Commentaire", s.comment)),
		heading("Chèques à remettre en banque"), s.checks, heading("Autres modes"), s.others,
		s.confirm, s.print, s.msg.Label)
	split := container.NewHSplit(container.NewVScroll(container.NewVBox(heading("Billetage"), s.grid.box)),
		container.NewVScroll(right))
	split.Offset = 0.5
	s.box = split
	return s
}

func (s *closingScreen) enter(keys map[fyne.KeyName]func()) fyne.Focusable {
	s.closed = nil
	s.print.Hide()
	s.confirm.Show()
	s.msg.say("")
	s.recompute()
	return s.grid.entries[0]
}

// request reads the wizard; a bad entry is reported, not guessed.
func (s *closingScreen) request() (app.ClosingRequest, error) {
	req := app.ClosingRequest{Comment: strings.TrimSpace(s.comment.Text)}
	var err error
	if req.Count, err = s.grid.Count(); err != nil {
		return req, err
	}
	if strings.TrimSpace(s.terminal.Text) != "" {
		t, err := regie.ParseMoney(s.terminal.Text)
		if err != nil {
			return req, err
		}
		req.TerminalTotal = &t
	}
	return req, nil
}

// recompute shows expected against counted as the régisseur types.
func (s *closingScreen) recompute() {
	if s.summary == nil || s.closed != nil {
		return
	}
	req, err := s.request()
	if err != nil {
		s.msg.fail(err)
		return
	}
	c, err := s.u.svc.PrepareClosing(s.u.ctx, req)
	if err != nil {
		s.summary.SetText(regie.ErrorMessage(err))
		s.confirm.Disable()
		return
	}
	s.confirm.Enable()
	s.msg.say("")
	s.show(c)
}

func (s *closingScreen) show(c *regie.Closing) {
	s.summary.SetText("Journée du " + frenchDay(c.Day) + " — " + itoa(c.Payments) + " paiement(s), " + itoa(c.Cancellations) + " annulation(s)\n" +
		"Fonds de caisse : " + c.Float.String() + "\n" +
		"Espèces encaissées : " + c.CashReceived.String() + " — remboursées : " + c.CashRefunded.String() + " — versées : " + c.CashDeposited.String() + "\n" +
		"Espèces attendues : " + c.ExpectedCash.String() + "\n" +
		"Espèces comptées : " + c.CountedCash.String())
	switch {
	case c.Difference == 0:
		s.diff.Importance = widget.SuccessImportance
		s.diff.SetText("Pas d'écart en espèces.")
	case c.Difference < 0:
		s.diff.Importance = widget.DangerImportance
		s.diff.SetText("Déficit de " + (-c.Difference).String() + " : expliquez-le dans le commentaire.")
	default:
		s.diff.Importance = widget.WarningImportance
		s.diff.SetText("Excédent de " + c.Difference.String() + " : expliquez-le dans le commentaire.")
	}
	s.diff.Refresh()
	lines := []string{}
	for _, ch := range c.Checks {
		lines = append(lines, "n° "+ch.Number+" — "+ch.Bank+" — "+ch.Drawer+" — "+ch.Amount.String()+" ("+ch.Receipt+")")
	}
	if len(lines) == 0 {
		lines = append(lines, "Aucun chèque en caisse.")
	} else {
		lines = append(lines, itoa(len(c.Checks))+" chèque(s), total "+regie.ChecksTotal(c.Checks).String())
	}
	s.checks.SetText(strings.Join(lines, "\n"))
	others := []string{"Carte bancaire : " + c.CardTotal.String()}
	if c.TerminalTotal != nil {
		others[0] += " — TPE : " + c.TerminalTotal.String()
		if d := c.CardDifference(); d != 0 {
			others[0] += " — écart " + d.String()
		}
	}
	for _, m := range regie.Modes {
		if v, ok := c.Totals[m]; ok && m != regie.Cash && m != regie.Check && m != regie.Card {
			others = append(others, m.Label()+" : "+v.String())
		}
	}
	others = append(others, "Total de la journée : "+c.Totals.Total().String())
	s.others.SetText(strings.Join(others, "\n"))
}

// seal records the closing; the day is then closed for good.
func (s *closingScreen) seal() {
	if s.closed != nil {
		return
	}
	req, err := s.request()
	if err != nil {
		s.msg.fail(err)
		return
	}
	c, err := s.u.svc.Close(s.u.ctx, s.u.auth, req)
	if err != nil {
		s.msg.fail(err)
		return
	}
	s.closed = c
	s.show(c)
	s.confirm.Hide()
	s.print.Show()
	s.msg.info("Journée du " + frenchDay(c.Day) + " clôturée : plus aucun encaissement n'est possible sur cette journée.")
	s.u.status.refresh()
	s.printZ()
}

func (s *closingScreen) printZ() {
	if s.closed == nil {
		return
	}
	if s.u.opt.Printer == nil {
		s.msg.info("Journée du " + frenchDay(s.closed.Day) + " clôturée. Aucune imprimante n'est configurée pour l'arrêté (Z).")
		return
	}
	where, err := s.u.opt.Printer.ZReport(s.u.ctx, s.closed)
	if err != nil {
		s.msg.fail(regie.Errorf(regie.EInternal, "Journée clôturée, mais l'impression de l'arrêté a échoué : %s", regie.ErrorMessage(err)))
		return
	}
	s.msg.info("Journée du " + frenchDay(s.closed.Day) + " clôturée. Arrêté de caisse (Z) : " + where)
}
