package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie"
)

// settingsScreen edits the counter's configuration file; only a régisseur
// or suppléant may change it.
type settingsScreen struct {
	u        *UI
	box      fyne.CanvasObject
	db       *keyEntry
	server   *keyEntry
	counter  *keyEntry
	port     *keyEntry
	ports    *widget.Select
	baud     *keyEntry
	line     *widget.Select
	printer  *keyEntry
	regie    *widget.Label
	save     *keyButton
	msg      message
	editable []fyne.Disableable
}

func newSettingsScreen(u *UI) *settingsScreen {
	s := &settingsScreen{u: u, regie: widget.NewLabel(""), msg: newMessage()}
	s.db = newKeyEntry(u, "chemin du fichier de caisse")
	s.server = newKeyEntry(u, "https://regie.ville.fr")
	s.counter = newKeyEntry(u, "code du poste, ex. C01")
	s.port = newKeyEntry(u, "/dev/ttyACM0 ou COM3")
	s.ports = widget.NewSelect(nil, func(p string) { s.port.SetText(p) })
	s.ports.PlaceHolder = "ports détectés"
	s.baud = newKeyEntry(u, "9600")
	s.line = widget.NewSelect([]string{"8N1", "7E1"}, nil)
	s.printer = newKeyEntry(u, "lp:Nom_CUPS, tcp:192.168.1.50:9100, serial:/dev/ttyUSB0")
	s.save = newKeyButton(u, "Enregistrer", s.submit)
	s.save.Importance = widget.HighImportance
	s.regie.Wrapping = fyne.TextWrapWord
	s.editable = []fyne.Disableable{s.db, s.server, s.counter, s.port, s.ports, s.baud, s.line, s.printer, s.save}
	s.box = container.NewVScroll(container.NewVBox(heading("Régie"), s.regie, heading("Ce poste"),
		widget.NewForm(
			widget.NewFormItem("Fichier de caisse", s.db),
			widget.NewFormItem("Serveur", s.server),
			widget.NewFormItem("Poste", s.counter),
			widget.NewFormItem("Port du TPE", container.NewBorder(nil, nil, nil, s.ports, s.port)),
			widget.NewFormItem("Vitesse du TPE", s.baud),
			widget.NewFormItem("Liaison du TPE", s.line),
			widget.NewFormItem("Imprimante", s.printer)),
		s.save, s.msg.Label))
	return s
}

func (s *settingsScreen) enter(keys map[fyne.KeyName]func()) fyne.Focusable {
	c := s.u.opt.Config
	s.db.SetText(c.Database)
	s.server.SetText(c.ServerURL)
	s.counter.SetText(c.Counter)
	s.port.SetText(c.TerminalPort)
	s.baud.SetText("")
	if c.TerminalBaud > 0 {
		s.baud.SetText(strconv.Itoa(c.TerminalBaud))
	}
	s.line.SetSelected(c.TerminalLine)
	s.printer.SetText(c.Printer)
	s.ports.Options = nil
	if s.u.opt.Ports != nil {
		s.ports.Options = s.u.opt.Ports()
	}
	s.ports.ClearSelected()
	if r := s.u.reg; r != nil {
		modes := []string{}
		for _, m := range r.Modes {
			modes = append(modes, m.Label())
		}
		s.regie.SetText(r.Name + " (" + r.Code + ")\nModes acceptés : " + strings.Join(modes, ", ") +
			"\nPlafond d'encaisse : " + r.CashCeiling.String() + " — fonds de caisse : " + r.Float.String() +
			" — versement au moins tous les " + itoa(r.DepositPeriodDays) + " jours — espèces limitées à " +
			r.EffectiveCashLimit().String() + " par paiement")
	}
	can := s.u.auth.Agent().Role.CanSupervise()
	for _, w := range s.editable {
		if can {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	s.msg.say("")
	if !can {
		s.msg.info("Seul le régisseur ou son suppléant peut modifier les paramètres du poste.")
	}
	return s.db
}

func (s *settingsScreen) submit() {
	if !s.u.auth.Agent().Role.CanSupervise() {
		s.msg.fail(regie.Errorf(regie.EForbidden, "Seul le régisseur ou son suppléant peut modifier les paramètres du poste."))
		return
	}
	c := *s.u.opt.Config
	c.Database, c.ServerURL, c.Counter = strings.TrimSpace(s.db.Text), strings.TrimSpace(s.server.Text), strings.TrimSpace(s.counter.Text)
	c.TerminalPort, c.TerminalLine, c.Printer = strings.TrimSpace(s.port.Text), s.line.Selected, strings.TrimSpace(s.printer.Text)
	c.TerminalBaud = 0
	if b := strings.TrimSpace(s.baud.Text); b != "" {
		n, err := strconv.Atoi(b)
		if err != nil || n <= 0 {
			s.msg.fail(regie.Errorf(regie.EInvalid, "Vitesse du TPE invalide : « %s » (ex. 9600).", b))
			return
		}
		c.TerminalBaud = n
	}
	if s.u.opt.ConfigPath == "" {
		s.msg.fail(regie.Errorf(regie.ENotConfigured, "Aucun fichier de configuration n'est défini pour ce poste."))
		return
	}
	if err := c.Save(s.u.opt.ConfigPath); err != nil {
		s.msg.fail(regie.Errorf(regie.EInternal, "Impossible d'enregistrer la configuration : %v", err))
		return
	}
	*s.u.opt.Config = c
	s.msg.info("Paramètres enregistrés. Ils s'appliquent au prochain démarrage de la caisse.")
}
