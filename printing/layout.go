package printing

import (
	"strings"
)

// column is one column of a table: its heading, width in millimetres and
// alignment ("L", "C" or "R").
type column struct {
	title string
	w     float64
	align string
}

// table draws bordered rows whose cells wrap, and repeats its heading at the
// top of each new page, so a long cheque list or journal stays readable.
type table struct {
	d     *doc
	cols  []column
	lineH float64 // height of one text line, mm
	size  float64 // font size, pt
}

// newTable prepares a table at the current position; call header to draw
// its heading.
func (d *doc) newTable(size, lineH float64, cols ...column) *table {
	return &table{d: d, cols: cols, lineH: lineH, size: size}
}

// header draws the column headings in bold on grey.
func (t *table) header() {
	t.d.font("B", t.size)
	h := t.lineH + 1
	titles := make([][]string, len(t.cols))
	for i, c := range t.cols {
		title := c.title
		if t.d.width(title) > c.w-2*t.d.pdf.GetCellMargin() {
			// "Chèques-vacances" breaks after its hyphen, not mid-word.
			title = strings.Replace(title, "-", "-\n", 1)
		}
		titles[i] = t.d.wrap(c.w, title)
		if n := float64(len(titles[i]))*t.lineH + 1; n > h {
			h = n
		}
	}
	t.draw(h, true, func(i int) []string { return titles[i] }, "C")
	t.d.font("", t.size)
}

// row draws one row in the regular font.
func (t *table) row(cells ...string) { t.styled("", false, cells...) }

// total draws one row in bold on grey, for sums.
func (t *table) total(cells ...string) { t.styled("B", true, cells...) }

// styled draws a row whose cells wrap within their column; a row that does
// not fit goes to a new page, under a repeated heading. An amount (a
// right-aligned cell) never wraps: when too wide it is printed smaller.
func (t *table) styled(style string, fill bool, cells ...string) {
	t.d.font(style, t.size)
	wrapped := make([][]string, len(t.cols))
	sizes := make([]float64, len(t.cols))
	n := 1
	room := func(c column) float64 { return c.w - 2*t.d.pdf.GetCellMargin() }
	for i, c := range t.cols {
		s := ""
		if i < len(cells) {
			s = cells[i]
		}
		sizes[i] = t.size
		w := t.d.pdf.GetStringWidth(cp1252(s))
		switch {
		case w <= room(c) && !hasNewline(s):
			wrapped[i] = []string{cp1252(s)}
		case c.align == "R" && !hasNewline(s):
			wrapped[i] = []string{cp1252(s)}
			sizes[i] = t.size * room(c) / w
		default:
			wrapped[i] = t.d.wrap(c.w, s)
		}
		n = max(n, len(wrapped[i]))
	}
	h := float64(n)*t.lineH + 1
	if !t.d.room(h) {
		t.d.pdf.AddPage()
		t.header()
		t.d.font(style, t.size)
	}
	t.draw(h, fill, func(i int) []string {
		t.d.font(style, sizes[i])
		return wrapped[i]
	}, "")
	t.d.font("", t.size)
}

// draw paints one row of height h: a frame per cell and its lines, already
// translated, aligned as the column says unless align forces one. lines
// may set the cell's font.
func (t *table) draw(h float64, fill bool, lines func(i int) []string, align string) {
	pdf := t.d.pdf
	x0, y0 := pdf.GetX(), pdf.GetY()
	x := x0
	style := "D"
	if fill {
		pdf.SetFillColor(232, 232, 232)
		style = "FD"
	}
	for i, c := range t.cols {
		pdf.Rect(x, y0, c.w, h, style)
		a := c.align
		if align != "" {
			a = align
		}
		for j, l := range lines(i) {
			pdf.SetXY(x, y0+0.5+float64(j)*t.lineH)
			t.d.rawCell(c.w, t.lineH, l, a, 0)
		}
		x += c.w
	}
	pdf.SetXY(x0, y0+h)
}

// hasNewline tells whether s asks for a line break of its own.
func hasNewline(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return true
		}
	}
	return false
}

// signatures draws boxes side by side, each with its label on top, for the
// people who sign a report.
func (d *doc) signatures(h float64, labels ...string) {
	if !d.room(h + 2) {
		d.pdf.AddPage()
	}
	gap := 4.0
	w := (d.contentWidth() - gap*float64(len(labels)-1)) / float64(len(labels))
	x, y := d.leftMargin(), d.pdf.GetY()+2
	d.font("", 8)
	for _, l := range labels {
		d.pdf.Rect(x, y, w, h, "D")
		d.pdf.SetXY(x, y+0.5)
		d.multi(w, 3.6, l, "", "L")
		x += w + gap
	}
	d.pdf.SetXY(d.leftMargin(), y+h+2)
}

// letterhead draws the top of a page: the logo on the left, the régie's
// name, address and counter beside it, and the document's title centred
// below with its subtitle lines.
func (d *doc) letterhead(is *Issuer, title string, subtitle ...string) {
	pdf := d.pdf
	x, y := d.leftMargin(), pdf.GetY()
	logoW := 0.0
	if len(is.Logo) > 0 {
		logoW = 20
		d.image("logo", is.Logo, x, y, logoW, 0)
		logoW += 4
	}
	pdf.SetXY(x+logoW, y)
	w := d.contentWidth() - logoW
	d.font("B", 11)
	d.multi(w, 5, is.Regie.Name, "", "L")
	d.font("", 8)
	if is.Regie.Address != "" {
		pdf.SetX(x + logoW)
		d.multi(w, 3.8, is.Regie.Address, "", "L")
	}
	if is.Counter != "" {
		pdf.SetX(x + logoW)
		d.multi(w, 3.8, "Guichet : "+is.Counter, "", "L")
	}
	if logoW > 0 && pdf.GetY() < y+20 {
		pdf.SetY(y + 20)
	}
	pdf.SetY(pdf.GetY() + 2)
	d.hrule()
	pdf.SetY(pdf.GetY() + 3)
	d.font("B", 14)
	d.multi(0, 6.5, title, "", "C")
	d.font("", 9)
	for _, s := range subtitle {
		d.multi(0, 4.5, s, "", "C")
	}
	pdf.SetY(pdf.GetY() + 3)
}

// banner draws a framed, bold, centred word (DUPLICATA, ANNULÉ) with the
// lines that explain it.
func (d *doc) banner(word string, size float64, lines ...string) {
	pdf := d.pdf
	x, y := d.leftMargin(), pdf.GetY()
	w := d.contentWidth()
	lineH := size * 0.45
	h := lineH + 2
	d.font("", 8)
	var wrapped []string
	for _, l := range lines {
		wrapped = append(wrapped, d.wrap(w-4, l)...)
	}
	h += float64(len(wrapped)) * 3.8
	pdf.SetLineWidth(0.6)
	pdf.Rect(x, y, w, h, "D")
	pdf.SetLineWidth(0.2)
	pdf.SetXY(x, y+1)
	d.font("B", size)
	d.cell(w, lineH, word, "", "C", 2)
	d.font("", 8)
	for _, l := range wrapped {
		pdf.SetX(x)
		d.rawCell(w, 3.8, l, "C", 2)
	}
	pdf.SetXY(x, y+h+3)
}

// heading is a bold section title on the left, with some space before.
func (d *doc) heading(s string) {
	if !d.room(14) {
		d.pdf.AddPage()
	}
	d.pdf.SetY(d.pdf.GetY() + 2)
	d.font("B", 10)
	d.cell(0, 5.5, s, "", "L", 1)
	d.font("", 9)
}

// pair writes a label and its value on one line, the value in bold.
func (d *doc) pair(labelW float64, label, value string) {
	d.font("", 9)
	d.cell(labelW, 4.8, label, "", "L", 0)
	d.font("B", 9)
	d.multi(0, 4.8, value, "", "L")
	d.font("", 9)
}
