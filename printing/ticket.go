package printing

import (
	"io"

	"github.com/jung-kurt/gofpdf"
)

// tkind is the kind of one line of a ticket.
type tkind int

const (
	tText  tkind = iota // text, wrapped to the width
	tPair               // a label on the left, an amount on the right
	tRule               // a dashed separator
	tBlank              // an empty line
	tQR                 // the verification QR code, centred
)

// tline is one logical line of an 80 mm ticket. The same lines are drawn
// in a PDF (receiptTicket) and printed in ESC/POS (WriteReceiptESCPOS), so
// both tickets say the same thing.
type tline struct {
	kind        tkind
	text, right string
	bold, big   bool
	center      bool
}

// ticket words the receipt as ticket lines.
func (v *receiptView) ticket() []tline {
	var ls []tline
	add := func(l tline) { ls = append(ls, l) }
	text := func(s string) { add(tline{kind: tText, text: s}) }
	center := func(s string, bold bool) { add(tline{kind: tText, text: s, bold: bold, center: true}) }
	pair := func(l, r string) { add(tline{kind: tPair, text: l, right: r}) }
	rule := tline{kind: tRule}

	center(v.regieName, true)
	if v.address != "" {
		center(v.address, false)
	}
	if v.counter != "" {
		center("Guichet : "+v.counter, false)
	}
	add(rule)
	add(tline{kind: tText, text: "REÇU", bold: true, big: true, center: true})
	center("n° "+v.number, true)
	center("le "+v.when, false)
	center("Agent : "+v.agent, false)
	if v.duplicate != "" {
		add(tline{kind: tBlank})
		add(tline{kind: tText, text: "DUPLICATA", bold: true, big: true, center: true})
		center(v.duplicate, false)
	}
	if len(v.cancelled) > 0 {
		add(tline{kind: tBlank})
		add(tline{kind: tText, text: "ANNULÉ", bold: true, big: true, center: true})
		for _, c := range v.cancelled {
			center(c, false)
		}
	}
	add(rule)
	text("Foyer : " + v.householdLine())
	if v.payer != "" {
		text("Payé par : " + v.payer)
	}
	add(rule)
	for _, l := range v.lines {
		ref := "Article " + l.ref
		if l.invoice {
			ref = "Facture " + l.ref
		}
		add(tline{kind: tText, text: ref, bold: true})
		text(l.label)
		pair("  Payé", l.paid)
		if l.remaining != "" {
			pair("  Reste dû", l.remaining)
		}
		if l.credit != "" {
			pair("  dont trop-perçu", l.credit)
		}
	}
	add(rule)
	add(tline{kind: tText, text: "Règlement", bold: true})
	for _, t := range v.tenders {
		pair(t.mode, t.amount)
		if t.detail != "" {
			text("  " + t.detail)
		}
	}
	add(rule)
	add(tline{kind: tPair, text: "TOTAL", right: v.total, bold: true, big: true})
	text("Soit " + v.words + ".")
	if v.url != "" {
		add(tline{kind: tBlank})
		add(tline{kind: tQR, text: v.url})
		center(v.url, false)
	}
	if v.hash != "" {
		center("Empreinte : "+v.hash, false)
	}
	center("Conservez ce reçu : il fait foi du paiement.", false)
	return ls
}

// Ticket geometry in millimetres: an 80 mm roll prints 72 mm wide.
const (
	ticketWidth  = 80.0
	ticketMargin = 4.0
	ticketQR     = 30.0
)

// receiptTicket draws the ticket lines on a PDF page 80 mm wide and exactly
// as long as they need: a first pass measures, the second draws.
func receiptTicket(w io.Writer, v *receiptView) error {
	lines := v.ticket()
	d := newDoc("P", sizeA5, ticketMargin, v.title(), v.created)
	d.uncompressed()
	h := 2 * ticketMargin
	for i := range lines {
		h += d.ticketLine(&lines[i], false)
	}
	d.pdf.SetAutoPageBreak(false, 0)
	d.pdf.AddPageFormat("P", gofpdf.SizeType{Wd: ticketWidth, Ht: h})
	for i := range lines {
		d.ticketLine(&lines[i], true)
	}
	return d.write(w, "receipt ticket")
}

// ticketLine measures one line's height and, when draw is set, draws it at
// the current position and moves below it.
func (d *doc) ticketLine(l *tline, draw bool) float64 {
	const cw = ticketWidth - 2*ticketMargin
	size, lineH := 8.0, 3.5
	if l.big {
		size, lineH = 13, 6
	}
	style := ""
	if l.bold {
		style = "B"
	}
	d.font(style, size)
	pdf := d.pdf
	switch l.kind {
	case tBlank:
		if draw {
			pdf.SetY(pdf.GetY() + 2)
		}
		return 2
	case tRule:
		if draw {
			y := pdf.GetY() + 1.25
			pdf.SetDashPattern([]float64{1, 1}, 0)
			pdf.Line(ticketMargin, y, ticketWidth-ticketMargin, y)
			pdf.SetDashPattern(nil, 0)
			pdf.SetY(y + 1.25)
		}
		return 2.5
	case tQR:
		if draw {
			_ = d.qr(l.text, (ticketWidth-ticketQR)/2, pdf.GetY(), ticketQR)
			pdf.SetY(pdf.GetY() + ticketQR)
		}
		return ticketQR
	case tPair:
		rw := d.width(l.right) + 2*pdf.GetCellMargin()
		left := d.wrap(cw-rw, l.text)
		if draw {
			for i, s := range left {
				pdf.SetX(ticketMargin)
				if i == len(left)-1 {
					d.rawCell(cw-rw, lineH, s, "L", 0)
					d.cell(rw, lineH, l.right, "", "R", 1)
				} else {
					d.rawCell(cw-rw, lineH, s, "L", 1)
				}
			}
		}
		return float64(len(left)) * lineH
	}
	text := d.wrap(cw, l.text)
	if draw {
		align := "L"
		if l.center {
			align = "C"
		}
		for _, s := range text {
			pdf.SetX(ticketMargin)
			d.rawCell(cw, lineH, s, align, 1)
		}
	}
	return float64(len(text)) * lineH
}
