package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// loginScreen asks the agent's login and PIN.
type loginScreen struct {
	u     *UI
	box   fyne.CanvasObject
	title *widget.Label
	id    *keyEntry
	pin   *keyEntry
	ok    *keyButton
	err   message
}

func newLoginScreen(u *UI) *loginScreen {
	s := &loginScreen{u: u, id: newKeyEntry(u, "identifiant (ex. mdupont)"), pin: newPINEntry(u, "code personnel"), err: newMessage()}
	s.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.ok = newKeyButton(u, "Se connecter (Entrée)", func() { s.submit(u) })
	s.ok.Importance = widget.HighImportance
	s.id.OnSubmitted = func(string) { u.win.Canvas().Focus(s.pin) }
	s.pin.OnSubmitted = func(string) { s.submit(u) }
	form := widget.NewForm(widget.NewFormItem("Identifiant", s.id), widget.NewFormItem("Code", s.pin))
	card := widget.NewCard("Connexion", "Caisse de régie", container.NewVBox(form, s.ok))
	s.box = container.NewVBox(layout.NewSpacer(), s.title,
		container.NewCenter(container.NewGridWrap(fyne.NewSize(440, card.MinSize().Height), card)),
		container.NewCenter(container.NewGridWrap(fyne.NewSize(440, 60), s.err.Label)), layout.NewSpacer())
	return s
}

func (s *loginScreen) reset() {
	if u := s.u; u.reg != nil && u.desk != nil {
		s.title.SetText(u.reg.Name + " — " + u.desk.Name)
	}
	s.id.SetText("")
	s.pin.SetText("")
	s.err.say("")
	// A file that fails its start check is said before anyone types a PIN
	// (Login refuses it anyway).
	if fc, ok := s.u.svc.(interface{ CheckFile(context.Context) error }); ok {
		if err := fc.CheckFile(s.u.ctx); err != nil {
			s.err.fail(err)
		}
	}
}

func (s *loginScreen) submit(u *UI) {
	a, err := u.svc.Login(u.ctx, s.id.Text, s.pin.Text)
	s.pin.SetText("")
	if err != nil {
		s.err.fail(err)
		u.win.Canvas().Focus(s.pin)
		return
	}
	s.err.say("")
	u.afterLogin(a)
}
