package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

// openScreen opens the till with the float counted, or sends the
// régisseur to yesterday's closing first.
type openScreen struct {
	box   fyne.CanvasObject
	grid  *countGrid
	total *keyEntry
	ok    *keyButton
	err   message
	first fyne.Focusable
}

func newOpenScreen(u *UI, st app.TillState) *openScreen {
	s := &openScreen{err: newMessage()}
	if st.Open && st.Session.Day != st.Today {
		// Yesterday's till is still open: its closing comes first.
		msg := widget.NewLabel("La caisse du " + frenchDay(st.Session.Day) + " n'a pas été clôturée. " +
			"Le régisseur doit en faire l'arrêté avant toute nouvelle opération.")
		msg.Wrapping = fyne.TextWrapWord
		s.ok = newKeyButton(u, "Faire l'arrêté du "+frenchDay(st.Session.Day), func() { u.showMainAt(tabClosing) })
		s.ok.Importance = widget.HighImportance
		s.first = s.ok
		s.box = container.NewVBox(heading("Caisse non clôturée"), msg, s.ok)
		return s
	}
	if !st.Open && st.Session != nil && st.Session.Day == st.Today {
		msg := widget.NewLabel("La journée du " + frenchDay(st.Today) + " est clôturée : plus aucun encaissement n'est possible aujourd'hui. " +
			"Le journal et les versements restent consultables.")
		msg.Wrapping = fyne.TextWrapWord
		s.ok = newKeyButton(u, "Consulter le journal", func() { u.showMainAt(tabJournal) })
		s.first = s.ok
		s.box = container.NewVBox(heading("Journée clôturée"), msg, s.ok)
		return s
	}
	s.grid = newCountGrid(u, nil)
	s.grid.done = func() { s.submit(u) }
	s.total = newKeyEntry(u, "ou le total, ex. 150,00")
	s.total.OnSubmitted = func(string) { s.submit(u) }
	s.ok = newKeyButton(u, "Ouvrir la caisse (Entrée)", func() { s.submit(u) })
	s.ok.Importance = widget.HighImportance
	s.first = s.grid.entries[0]
	float := ""
	if u.reg != nil {
		float = " (fonds de caisse prévu : " + u.reg.Float.String() + ")"
	}
	s.box = container.NewVScroll(container.NewVBox(
		heading("Ouverture de la caisse du "+frenchDay(st.Today)+float),
		widget.NewLabel("Comptez le fonds de caisse par billet et pièce, ou saisissez son total."),
		s.grid.box,
		widget.NewForm(widget.NewFormItem("Total du fonds", s.total)),
		s.ok, s.err.Label))
	return s
}

func (s *openScreen) focus() fyne.Focusable { return s.first }

func (s *openScreen) submit(u *UI) {
	count, err := s.grid.Count()
	if err != nil {
		s.err.fail(err)
		return
	}
	total, err := parseAmount(s.total.Text)
	if err != nil {
		s.err.fail(err)
		u.win.Canvas().Focus(s.total)
		return
	}
	if len(count) == 0 && total == 0 && s.total.Text == "" {
		s.err.fail(regie.Errorf(regie.EInvalid, "Comptez le fonds de caisse ou saisissez son total (0 s'il est vide)."))
		return
	}
	if _, err := u.svc.OpenSession(u.ctx, u.auth, count, total); err != nil {
		s.err.fail(err)
		return
	}
	u.showMain()
}

// frenchDay writes a YYYY-MM-DD day as 27/11/2026.
func frenchDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}
