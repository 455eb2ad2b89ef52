package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/regie-fr/regie"
)

// LinkSlipRequest asks for a linking slip: ID is made here, so that asking
// again after a failure gets the same slip from the server, not a second
// code; Agent is the id of the agent who checked Document.
type LinkSlipRequest struct {
	ID          string
	HouseholdID string
	Agent       string
	Document    string
}

// LinkSlipper asks the server for a one-time linking slip and prints it;
// it says in French where the slip went ("Bon de rattachement de … envoyé
// à l'imprimante."), or why there is none (offline:
// the slip needs the server).
type LinkSlipper func(ctx context.Context, req LinkSlipRequest) (string, error)

// IdentityDocuments are the documents an agent may check before handing a
// linking slip over.
var IdentityDocuments = []string{"carte d'identité", "passeport", "titre de séjour", "permis de conduire"}

// linkPanel is the cashier's "Bon de rattachement au portail": any agent,
// once a household is picked, confirms which identity document they
// checked, and the slip is asked of the server and printed.
type linkPanel struct {
	c   *cashierScreen
	btn *keyButton
	msg message
	// The dialog's parts, kept for the tests.
	dlg     dialog.Dialog
	doc     *widget.RadioGroup
	checked *widget.Check
	confirm *widget.Button
	// pending is the request that has not succeeded yet: asking again for
	// the same household and document reuses its id.
	pending *LinkSlipRequest
}

func newLinkPanel(c *cashierScreen) *linkPanel {
	p := &linkPanel{c: c, msg: newMessage()}
	p.btn = newKeyButton(c.u, "Bon de rattachement au portail", p.ask)
	p.btn.Hide()
	return p
}

// show offers the button for household h (nil: none picked).
func (p *linkPanel) show(h *regie.Household) {
	p.msg.say("")
	if h == nil || p.c.u.opt.LinkSlip == nil {
		p.btn.Hide()
		return
	}
	p.btn.Show()
}

// ask opens the dialog: which document was checked, and a tick that it was.
func (p *linkPanel) ask() {
	h := p.c.household
	if h == nil || p.c.u.opt.LinkSlip == nil || p.c.u.auth == nil {
		return
	}
	p.doc = widget.NewRadioGroup(IdentityDocuments, func(string) { p.ready() })
	p.checked = widget.NewCheck("J'ai vérifié l'identité de la personne sur cette pièce, à son nom et en cours de validité.",
		func(bool) { p.ready() })
	p.confirm = widget.NewButton("Imprimer le bon", func() { p.request(h) })
	p.confirm.Importance = widget.HighImportance
	cancel := widget.NewButton("Annuler", func() { p.dlg.Hide() })
	intro := widget.NewLabel("Le bon permet de rattacher le foyer " + h.Name + " (compte " + h.Account +
		") à un compte FranceConnect sur le portail. Pièce d'identité présentée :")
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(intro, p.doc, p.checked, container.NewHBox(cancel, p.confirm))
	p.dlg = dialog.NewCustomWithoutButtons("Bon de rattachement au portail", content, p.c.u.win)
	p.dlg.Resize(fyne.NewSize(560, 0))
	p.ready()
	p.dlg.Show()
}

// ready enables the confirmation once a document is chosen and ticked.
func (p *linkPanel) ready() {
	if p.doc.Selected != "" && p.checked.Checked {
		p.confirm.Enable()
	} else {
		p.confirm.Disable()
	}
}

// request asks the server in the background and prints the slip.
func (p *linkPanel) request(h *regie.Household) {
	u := p.c.u
	req := LinkSlipRequest{HouseholdID: h.ID, Agent: u.auth.Agent().ID, Document: p.doc.Selected}
	if q := p.pending; q != nil && q.HouseholdID == req.HouseholdID && q.Agent == req.Agent && q.Document == req.Document {
		req.ID = q.ID
	} else {
		req.ID = uuid.Must(uuid.NewV7()).String()
	}
	p.pending = &req
	p.dlg.Hide()
	p.btn.Disable()
	p.msg.info("Demande du bon au serveur…")
	u.bg.Add(1)
	go func() {
		defer u.bg.Done()
		where, err := u.opt.LinkSlip(u.ctx, req)
		fyne.Do(func() {
			p.btn.Enable()
			if err != nil {
				p.msg.fail(err)
				return
			}
			p.pending = nil
			p.msg.info(where)
		})
	}()
}
