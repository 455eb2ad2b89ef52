package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie"
)

// enrolScreen is the first screen of a new counter: it is not bound to a
// régie yet, so nobody can log in; the installer types the server's address
// and the one-time code an administrator printed.
type enrolScreen struct {
	box    fyne.CanvasObject
	server *keyEntry
	code   *keyEntry
	ok     *keyButton
	msg    message
}

func newEnrolScreen(u *UI) *enrolScreen {
	s := &enrolScreen{server: newKeyEntry(u, "https://regie.ville.fr"), code: newKeyEntry(u, "ABCD-EFGH-JKMN-PQRS"), msg: newMessage()}
	s.server.SetText(u.opt.Config.ServerURL)
	s.server.OnSubmitted = func(string) { u.win.Canvas().Focus(s.code) }
	s.code.OnSubmitted = func(string) { s.submit(u) }
	s.ok = newKeyButton(u, "Rattacher ce poste (Entrée)", func() { s.submit(u) })
	s.ok.Importance = widget.HighImportance
	intro := widget.NewLabel("Ce poste n'est pas encore rattaché à une régie. Saisissez l'adresse du serveur de la régie " +
		"et le code d'enrôlement à usage unique remis par l'administrateur (regie-serveur counter create).")
	intro.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem("Serveur", s.server), widget.NewFormItem("Code", s.code))
	card := widget.NewCard("Installation du poste", "", container.NewVBox(intro, form, s.ok, s.msg.Label))
	s.box = container.NewVBox(layout.NewSpacer(),
		container.NewCenter(container.NewGridWrap(fyne.NewSize(560, card.MinSize().Height+80), card)), layout.NewSpacer())
	return s
}

// submit enrols in the background, then pulls the régie's settings and
// agents: the login screen follows.
func (s *enrolScreen) submit(u *UI) {
	server, code := strings.TrimSpace(s.server.Text), strings.TrimSpace(s.code.Text)
	if server == "" || code == "" {
		s.msg.fail(regie.Errorf(regie.EInvalid, "Saisissez l'adresse du serveur et le code d'enrôlement."))
		return
	}
	s.ok.Disable()
	s.msg.info("Rattachement au serveur…")
	u.bg.Add(1)
	go func() {
		defer u.bg.Done()
		err := u.opt.Enrol(u.ctx, server, code)
		fyne.Do(func() {
			s.ok.Enable()
			if err != nil {
				s.msg.fail(err)
				return
			}
			u.opt.Config.ServerURL = server
			if u.opt.ConfigPath != "" {
				_ = u.opt.Config.Save(u.opt.ConfigPath) // the counter file holds what matters
			}
			u.Start()
		})
	}()
}

// Enroller binds a new counter to a régie's server and pulls its settings.
type Enroller func(ctx context.Context, server, code string) error
