package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/regie-fr/regie"
)

// openTill logs in and opens the till with a 150 € float.
func (h *harness) openTill(id, pin string) *cashierScreen {
	h.t.Helper()
	h.login(id, pin)
	h.fill(h.u.open.total, "150")
	h.key(fyne.KeyReturn)
	if h.u.main == nil {
		h.t.Fatalf("till not opened: %s", h.u.open.err.Text)
	}
	return h.u.main.cashier
}

// payCheque cashes a household's first invoice by cheque.
func (h *harness) payCheque(c *cashierScreen, who, number string) {
	h.t.Helper()
	h.fill(c.search, who)
	h.key(fyne.KeyReturn)
	test.Tap(c.invoices[0].check)
	h.key(fyne.KeyF2)
	r := c.tenders[0]
	test.Type(r.number, number)
	h.fill(r.bank, "Crédit Agricole")
	h.fill(r.drawer, "M. Payeur")
	h.key(fyne.KeyReturn)
	if !c.receipt.box.Visible() {
		h.t.Fatalf("payment refused: %s %s %s", c.err.Text, c.tenderErr.Text, c.allocErr.Text)
	}
}

// TestMandataireCancelsWithApproval: a mandataire cancels with the
// régisseur's PIN typed in the journal; a wrong PIN is refused first.
func TestMandataireCancelsWithApproval(t *testing.T) {
	h := newHarness(t)
	c := h.openTill("sbernard", "3456")
	h.payCheque(c, "moreau", "0000777")
	h.key(fyne.KeyF9)
	j := h.u.main.journal
	j.list.Select(len(j.shown) - 1)
	d := j.detail
	if !d.approver.Visible() || !d.pin.Visible() {
		t.Fatal("a mandataire is not asked for an approver")
	}
	d.reason.SetSelected(regie.CancelReasons[3])
	h.fill(d.approver, "sbernard")
	h.fill(d.pin, "3456")
	h.key(fyne.KeyReturn)
	shows(t, d.msg, "ni régisseur ni suppléant")
	h.fill(d.approver, "jmartin")
	h.fill(d.pin, "2345")
	h.key(fyne.KeyReturn)
	shows(t, d.msg, "annulé")
	if last := j.all[len(j.all)-1]; last.Kind != regie.KindCancellation {
		t.Fatalf("journal ends with %s", last.Kind)
	}
}

// TestDepositScreen hands the cheques and the cash above the float to the
// comptable; a mandataire is refused.
func TestDepositScreen(t *testing.T) {
	h := newHarness(t)
	c := h.openTill("sbernard", "3456")
	h.payCheque(c, "benali", "0000888")
	h.key(fyne.KeyF11)
	d := h.u.main.deposit
	if len(d.checks) != 1 || !strings.Contains(d.held.Text, "Chèques en caisse : 1 pour 61,60") {
		t.Fatalf("deposit screen shows %q, %d cheques", d.held.Text, len(d.checks))
	}
	test.Tap(d.ok)
	shows(t, d.msg, "Seul le régisseur ou son suppléant peut faire un versement")

	test.Tap(h.u.main.logout)
	h.login("mdupont", "1234")
	h.key(fyne.KeyF11)
	d = h.u.main.deposit
	h.fill(d.cash, "1000")
	h.fill(d.ref, "VERS-2026-014")
	h.key(fyne.KeyReturn)
	shows(t, d.msg, "La caisse ne contient que 150,00")
	h.fill(d.cash, "0")
	h.fill(d.ref, "VERS-2026-014")
	h.key(fyne.KeyReturn)
	shows(t, d.msg, "Versement de 61,60")
	if len(d.checks) != 0 || !strings.Contains(d.held.Text, "Chèques en caisse : 0") {
		t.Fatalf("after the deposit: %q", d.held.Text)
	}
}

// TestSettingsScreen saves the counter's configuration file, for a
// régisseur only.
func TestSettingsScreen(t *testing.T) {
	h := newHarnessWith(t, Options{Ports: func() []string { return []string{"/dev/ttyACM0", "/dev/ttyUSB0"} }})
	h.u.opt.ConfigPath = filepath.Join(t.TempDir(), "regie", "caisse.json")
	h.openTill("sbernard", "3456")
	h.u.main.selectTab(tabSettings)
	s := h.u.main.settings
	if !s.server.Disabled() || !s.save.Disabled() {
		t.Fatal("a mandataire can edit the settings")
	}
	shows(t, s.msg, "Seul le régisseur")

	test.Tap(h.u.main.logout)
	h.login("mdupont", "1234")
	h.u.main.selectTab(tabSettings)
	s = h.u.main.settings
	if s.server.Disabled() {
		t.Fatal("the régisseur cannot edit the settings")
	}
	h.fill(s.server, "https://regie.montaigu.fr")
	if len(s.ports.Options) != 2 {
		t.Fatalf("likely ports %v", s.ports.Options)
	}
	s.ports.SetSelected("/dev/ttyACM0")
	h.fill(s.baud, "96OO")
	test.Tap(s.save)
	shows(t, s.msg, "Vitesse du TPE invalide")
	if _, err := os.Stat(h.u.opt.ConfigPath); !os.IsNotExist(err) {
		t.Fatalf("a refused form wrote the file (%v)", err)
	}
	h.fill(s.baud, "9600")
	s.line.SetSelected("7E1")
	test.Tap(s.save)
	shows(t, s.msg, "Paramètres enregistrés")
	got, err := LoadConfig(h.u.opt.ConfigPath)
	if err != nil || got.ServerURL != "https://regie.montaigu.fr" || got.TerminalPort != "/dev/ttyACM0" ||
		got.TerminalBaud != 9600 || got.TerminalLine != "7E1" {
		t.Fatalf("saved config %+v %v", got, err)
	}
}
