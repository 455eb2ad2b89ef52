package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// The main screen's tabs, in order.
const (
	tabCashier = iota
	tabJournal
	tabClosing
	tabDeposit
	tabSettings
)

// mainScreen holds the tabs of a logged-in agent's day.
type mainScreen struct {
	u        *UI
	tabs     *container.AppTabs
	cashier  *cashierScreen
	journal  *journalScreen
	closing  *closingScreen
	deposit  *depositScreen
	settings *settingsScreen
	logout   *keyButton
	who      *widget.Label
}

func newMainScreen(u *UI) *mainScreen {
	m := &mainScreen{u: u}
	m.cashier = newCashierScreen(u)
	m.journal = newJournalScreen(u)
	m.closing = newClosingScreen(u)
	m.deposit = newDepositScreen(u)
	m.settings = newSettingsScreen(u)
	m.tabs = container.NewAppTabs(
		container.NewTabItem("Encaisser (F8)", m.cashier.box),
		container.NewTabItem("Journal (F9)", m.journal.box),
		container.NewTabItem("Clôture (F10)", m.closing.box),
		container.NewTabItem("Versements (F11)", m.deposit.box),
		container.NewTabItem("Paramètres", m.settings.box),
	)
	m.tabs.OnSelected = func(*container.TabItem) { m.entered(m.tabs.SelectedIndex()) }
	m.who = widget.NewLabel(u.auth.Agent().Name + " — " + u.auth.Agent().Role.Label())
	m.logout = newKeyButton(u, "Déconnexion", u.showLogin)
	top := container.NewBorder(nil, nil, nil, container.NewHBox(m.who, m.logout))
	u.show(container.NewBorder(top, nil, nil, nil, m.tabs), nil, nil)
	return m
}

// showMainAt opens the main screen on a tab.
func (u *UI) showMainAt(tab int) {
	u.main = newMainScreen(u)
	u.main.selectTab(tab)
}

func (m *mainScreen) selectTab(i int) {
	if m.tabs.SelectedIndex() == i {
		m.entered(i)
		return
	}
	m.tabs.SelectIndex(i) // calls entered through OnSelected
}

// entered refreshes the tab the agent comes to, sets its keys and focus.
func (m *mainScreen) entered(i int) {
	keys := map[fyne.KeyName]func(){
		fyne.KeyF8:  func() { m.selectTab(tabCashier) },
		fyne.KeyF9:  func() { m.selectTab(tabJournal) },
		fyne.KeyF10: func() { m.selectTab(tabClosing) },
		fyne.KeyF11: func() { m.selectTab(tabDeposit) },
	}
	var focus fyne.Focusable
	switch i {
	case tabCashier:
		focus = m.cashier.enter(keys)
	case tabJournal:
		focus = m.journal.enter(keys)
	case tabClosing:
		focus = m.closing.enter(keys)
	case tabDeposit:
		focus = m.deposit.enter(keys)
	case tabSettings:
		focus = m.settings.enter(keys)
	}
	m.u.keys = keys
	if focus != nil {
		m.u.win.Canvas().Focus(focus)
	}
	m.u.status.refresh()
}
