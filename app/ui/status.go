package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// statusBar is always at the bottom: agent, till, cash held against the
// plafond, sync, terminal.
type statusBar struct {
	u     *UI
	box   *fyne.Container
	agent *widget.Label
	till  *widget.Label
	held  *widget.Label
	sync  *widget.Label
	now   *keyButton
	tpe   *widget.Label
}

func newStatusBar(u *UI) *statusBar {
	s := &statusBar{u: u, agent: widget.NewLabel(""), till: widget.NewLabel(""), held: widget.NewLabel(""),
		sync: widget.NewLabel(""), tpe: widget.NewLabel("")}
	s.now = newKeyButton(u, "Synchroniser", func() {
		if u.opt.Sync != nil {
			u.opt.Sync.SyncNow()
			s.refresh()
		}
	})
	s.now.Importance = widget.LowImportance
	s.box = container.NewVBox(widget.NewSeparator(), container.NewHBox(s.agent, widget.NewSeparator(), s.till,
		widget.NewSeparator(), s.held, widget.NewSeparator(), s.sync, s.now, widget.NewSeparator(), s.tpe))
	return s
}

// refresh reads the state again; it runs on the UI goroutine.
func (s *statusBar) refresh() {
	u := s.u
	if u.auth == nil {
		s.agent.SetText("Non connecté")
	} else {
		s.agent.SetText(u.auth.Agent().Name + " (" + u.auth.Agent().Role.Label() + ")")
	}
	if st, err := u.svc.Till(u.ctx); err != nil {
		s.till.SetText("Caisse : ?")
	} else if st.Open {
		s.till.SetText("Caisse ouverte (" + frenchDay(st.Session.Day) + ")")
	} else if st.Session != nil && st.Session.Day == st.Today {
		s.till.SetText("Journée clôturée")
	} else {
		s.till.SetText("Caisse fermée")
	}
	if h, err := u.svc.Holdings(u.ctx); err == nil {
		text := "Encaisse " + h.Held.String() + " / plafond " + h.Ceiling.String()
		if len(h.Warnings) > 0 {
			text = "⚠ " + text
			s.held.Importance = widget.WarningImportance
		} else {
			s.held.Importance = widget.MediumImportance
		}
		s.held.SetText(text)
	}
	s.sync.SetText(syncText(u.opt.Sync))
	if u.opt.Sync == nil || !u.opt.Sync.State().Configured {
		s.now.Hide()
	} else {
		s.now.Show()
	}
	if u.opt.Terminal == nil {
		s.tpe.SetText("TPE : non relié")
	} else {
		s.tpe.SetText("TPE : " + u.opt.Terminal.State())
	}
}

func syncText(sy Syncer) string {
	if sy == nil {
		return "Synchro : non configurée"
	}
	st := sy.State()
	var parts []string
	switch {
	case !st.Configured:
		return "Synchro : non configurée"
	case st.Online:
		parts = append(parts, "Synchro : en ligne")
	default:
		parts = append(parts, "Synchro : hors ligne")
	}
	if st.Pending > 0 {
		parts = append(parts, itoa(st.Pending)+" en attente")
	}
	if !st.LastSuccess.IsZero() {
		parts = append(parts, "dernière "+st.LastSuccess.Local().Format("15:04"))
	}
	if st.LastError != "" {
		parts = append(parts, st.LastError)
	}
	return strings.Join(parts, ", ")
}

// Watch refreshes the status bar every period from a background
// goroutine, through fyne.Do, until stop is closed.
func (u *UI) Watch(period time.Duration, stop <-chan struct{}) {
	go func() {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fyne.Do(u.status.refresh)
			}
		}
	}()
}
