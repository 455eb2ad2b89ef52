package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/ui"
	"github.com/regie-fr/regie/printing"
)

// documents prints the counter's documents where its settings say:
//
//	file:…, serial:…, tcp:…  a thermal printer (ESC/POS receipts)
//	lp  or  lp:QUEUE          the system printer (PDF, A5 receipts)
//	empty  or  pdf:FOLDER     PDF files saved in a folder
//
// The Z report is always a PDF: on the system printer with lp, saved in
// the folder otherwise.
type documents struct {
	svc    *app.Counter
	cfg    *ui.Config
	folder string // where PDFs are saved
	// open shows a saved report (the Z) in the desktop's PDF viewer; nil
	// leaves it in the folder.
	open func(path string) error
}

var _ ui.Printer = (*documents)(nil)

func newDocuments(svc *app.Counter, cfg *ui.Config, folder string) *documents {
	if f, ok := strings.CutPrefix(cfg.Printer, "pdf:"); ok && f != "" {
		folder = f
	}
	return &documents{svc: svc, cfg: cfg, folder: folder}
}

// Receipt prints a payment's receipt, or its duplicate.
func (d *documents) Receipt(ctx context.Context, p *regie.Payment, duplicate bool) (string, error) {
	info, err := d.svc.ReceiptInfo(ctx, p.ID)
	if err != nil {
		return "", err
	}
	data := &printing.ReceiptData{
		Issuer: printing.Issuer{Regie: info.Regie, Counter: info.Counter.Name},
		Agent:  info.AgentName, Payment: info.Payment, Remaining: info.Remaining, Hash: info.Hash,
		VerifyURL: verifyURL(d.cfg.ServerURL, info.Payment.Receipt, info.Hash),
		Cancelled: info.Cancellation, CancelledBy: info.CancelledBy,
	}
	if h := info.Household; h != nil {
		data.Household, data.Account = h.Name, h.Account
	}
	if duplicate {
		now := time.Now()
		data.Duplicate = &now
	}
	spec := strings.TrimSpace(d.cfg.Printer)
	switch kind, _, _ := strings.Cut(spec, ":"); kind {
	case "file", "serial", "tcp":
		pr, err := printing.ParsePrinter(spec)
		if err != nil {
			return "", err
		}
		var b bytes.Buffer
		opt := printing.ThermalOptions{OpenDrawer: !duplicate && hasCash(p)}
		if err := printing.WriteReceiptESCPOS(&b, data, opt); err != nil {
			return "", err
		}
		if err := pr.Print(ctx, b.Bytes()); err != nil {
			return "", err
		}
		return "Reçu imprimé sur " + pr.String() + ".", nil
	}
	var b bytes.Buffer
	if err := printing.WriteReceiptPDF(&b, data, printing.PageA5); err != nil {
		return "", err
	}
	name := p.Receipt
	if duplicate {
		name += "-duplicata-" + time.Now().Format("150405")
	}
	return d.output(ctx, name, b.Bytes(), "Reçu")
}

// ZReport prints the arrêté de caisse of a closed day.
func (d *documents) ZReport(ctx context.Context, c *regie.Closing) (string, error) {
	info, err := d.svc.ClosingInfo(ctx, c)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := printing.WriteZReportPDF(&b, info.ZReport()); err != nil {
		return "", err
	}
	where, err := d.output(ctx, "Z-"+info.Counter.Code+"-"+c.Day, b.Bytes(), "Arrêté")
	if path, saved := strings.CutPrefix(where, "Arrêté enregistré : "); err == nil && saved && d.open != nil {
		if d.open(path) != nil {
			where += " (ouvrez-le depuis ce dossier)"
		}
	}
	return where, err
}

// DepositSlip prints the bordereau de versement and, when cheques go with
// it, the bordereau de remise de chèques.
func (d *documents) DepositSlip(ctx context.Context, dep *regie.Deposit) (string, error) {
	settings, ident, err := d.svc.Settings(ctx)
	if err != nil {
		return "", err
	}
	issuer := printing.Issuer{Regie: *settings, Counter: ident.Name}
	agent := d.agentName(ctx, dep.Agent)
	var b bytes.Buffer
	if err := printing.WriteDepositSlipPDF(&b, &printing.DepositSlipData{Issuer: issuer, Deposit: dep, Agent: agent}); err != nil {
		return "", err
	}
	where, err := d.output(ctx, "versement-"+dep.Day+"-"+shortID(dep.ID), b.Bytes(), "Bordereau de versement")
	if err != nil || len(dep.Checks) == 0 {
		return where, err
	}
	b.Reset()
	err = printing.WriteCheckRemittancePDF(&b, &printing.CheckRemittanceData{Issuer: issuer, Number: dep.Reference,
		Date: dep.At, Agent: agent, Checks: dep.Checks})
	if err != nil {
		return "", err
	}
	more, err := d.output(ctx, "remise-cheques-"+dep.Day+"-"+shortID(dep.ID), b.Bytes(), "Bordereau de remise de chèques")
	return where + " " + more, err
}

func (d *documents) agentName(ctx context.Context, id string) string {
	agents, err := d.svc.Agents(ctx)
	if err == nil {
		for _, a := range agents {
			if a.ID == id {
				return a.Name
			}
		}
	}
	return id
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[len(id)-8:]
	}
	return id
}

// output sends a PDF to the system printer with lp, or saves it.
func (d *documents) output(ctx context.Context, name string, pdf []byte, what string) (string, error) {
	if queue, ok := strings.CutPrefix(strings.TrimSpace(d.cfg.Printer), "lp"); ok && (queue == "" || queue[0] == ':') {
		sp := &printing.SystemPrinter{Queue: strings.TrimPrefix(queue, ":")}
		if err := sp.PrintPDF(ctx, name, pdf); err != nil {
			return "", err
		}
		return what + " envoyé à l'imprimante.", nil
	}
	if err := os.MkdirAll(d.folder, 0o755); err != nil {
		return "", regie.Errorf(regie.EInternal, "Dossier %s impossible à créer : %v", d.folder, err)
	}
	path := filepath.Join(d.folder, name+".pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		return "", regie.Errorf(regie.EInternal, "Enregistrement de %s impossible : %v", path, err)
	}
	return what + " enregistré : " + path, nil
}

// verifyURL is where the receipt's QR code leads: the portal's public
// check of a receipt number and its hash.
func verifyURL(server, receipt, hash string) string {
	if server == "" {
		server = "https://regie.example.fr"
	}
	short := hash
	if len(short) > 16 {
		short = short[:16]
	}
	return strings.TrimRight(server, "/") + "/verifier?recu=" + url.QueryEscape(receipt) + "&empreinte=" + short
}

func hasCash(p *regie.Payment) bool {
	for _, t := range p.Tenders {
		if t.Mode == regie.Cash {
			return true
		}
	}
	return false
}
