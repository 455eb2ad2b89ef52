package main

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/regie-fr/regie/app/ui"
	"github.com/regie-fr/regie/printing"
	"github.com/regie-fr/regie/sync/client"
	"github.com/regie-fr/regie/sync/protocol"
)

// linkSlipWait bounds the agent's wait for the server's slip: past it, the
// agent is told the server does not answer (asking again reuses the id).
const linkSlipWait = 20 * time.Second

// linkSlips asks sc's server for a linking slip and prints it where the
// counter's documents go: the system printer with lp, else a PDF saved and
// opened in the desktop's viewer (a thermal printer prints receipts only).
func (d *documents) linkSlips(sc *client.Client) ui.LinkSlipper {
	return func(ctx context.Context, req ui.LinkSlipRequest) (string, error) {
		ctx, cancel := context.WithTimeout(ctx, linkSlipWait)
		defer cancel()
		slip, err := sc.LinkSlip(ctx, protocol.LinkSlipRequest{ID: req.ID, HouseholdID: req.HouseholdID,
			Agent: req.Agent, Document: req.Document})
		if err != nil {
			return "", err
		}
		settings, ident, err := d.svc.Settings(ctx)
		if err != nil {
			return "", err
		}
		var b bytes.Buffer
		err = printing.WriteLinkSlipPDF(&b, &printing.LinkSlipData{
			Issuer: printing.Issuer{Regie: *settings, Counter: ident.Name}, Agent: d.agentName(ctx, req.Agent),
			Household: slip.HouseholdName, Account: slip.Account, Code: slip.Code,
			IssuedAt: time.Now(), ExpiresAt: slip.ExpiresAt,
		})
		if err != nil {
			return "", err
		}
		what := "Bon de rattachement de " + slip.HouseholdName
		where, err := d.output(ctx, "rattachement-"+slip.Account+"-"+shortID(slip.ID), b.Bytes(), what)
		if path, saved := strings.CutPrefix(where, what+" enregistré : "); err == nil && saved && d.open != nil {
			if d.open(path) != nil {
				where += " (ouvrez-le depuis ce dossier pour l'imprimer)"
			}
		}
		return where, err
	}
}
