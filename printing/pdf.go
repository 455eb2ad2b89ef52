package printing

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
	"github.com/regie-fr/regie/assets"
	"golang.org/x/text/encoding/charmap"
)

// fontFamily is the embedded font's name inside our PDFs.
const fontFamily = "DejaVu"

// Page sizes, in millimetres.
var (
	sizeA4 = gofpdf.SizeType{Wd: 210, Ht: 297}
	sizeA5 = gofpdf.SizeType{Wd: 148, Ht: 210}
)

// doc wraps a gofpdf document with the embedded font and the cp1252
// translation, so layout code writes plain UTF-8 and never forgets to
// translate a string.
type doc struct {
	pdf *gofpdf.Fpdf
}

// newDoc starts a PDF in millimetres with the embedded DejaVu Sans (regular
// and bold) and fixed metadata. created is the document's own date (the
// payment's, the closing's), not the printing time, so that the same data
// always gives the same bytes: a receipt downloaded from the portal is the
// very one printed at the counter.
func newDoc(orientation string, size gofpdf.SizeType, margin float64, title string, created time.Time) *doc {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: orientation, UnitStr: "mm", Size: size})
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.AddFontFromBytes(fontFamily, "", assets.FontRegularJSON, assets.FontRegularZ)
	pdf.AddFontFromBytes(fontFamily, "B", assets.FontBoldJSON, assets.FontBoldZ)
	pdf.SetFont(fontFamily, "", 9)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetTitle(title, true)
	pdf.SetCreator("Régie", true)
	pdf.SetProducer("Régie (gofpdf)", true)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.2)
	return &doc{pdf: pdf}
}

// uncompressed leaves the page content as plain text. gofpdf makes a new
// zlib writer for each page, about a megabyte of tables to allocate and
// clear, which costs a one-page receipt more than the rest of its making;
// its content is a few kilobytes, and the font and pictures inside stay
// compressed anyway. Reports, many pages long, keep compression.
func (d *doc) uncompressed() { d.pdf.SetCompression(false) }

// write finishes the document into w; any layout error surfaces here.
func (d *doc) write(w io.Writer, what string) error {
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("printing: %s: %w", what, err)
	}
	return nil
}

// font sets the style ("" or "B") and size in points.
func (d *doc) font(style string, size float64) { d.pdf.SetFont(fontFamily, style, size) }

// cell writes one line of text in a box w wide (0: to the right margin); ln
// is gofpdf's: 0 right, 1 next line, 2 below.
func (d *doc) cell(w, h float64, s, border, align string, ln int) {
	d.pdf.CellFormat(w, h, cp1252(s), border, ln, align, false, 0, "")
}

// fillCell is cell on a light grey background, for table headers and totals.
func (d *doc) fillCell(w, h float64, s, border, align string, ln int) {
	d.pdf.SetFillColor(232, 232, 232)
	d.pdf.CellFormat(w, h, cp1252(s), border, ln, align, true, 0, "")
}

// multi writes wrapped text, a line per h, and goes to the next line.
func (d *doc) multi(w, h float64, s, border, align string) {
	d.pdf.MultiCell(w, h, cp1252(s), border, align, false)
}

// width is the printed width of s in the current font.
func (d *doc) width(s string) float64 { return d.pdf.GetStringWidth(cp1252(s)) }

// wrap splits s into lines that fit a cell w wide in the current font; the
// lines are already translated, for rawCell.
func (d *doc) wrap(w float64, s string) []string {
	var out []string
	for _, l := range d.pdf.SplitLines([]byte(cp1252(s)), w) {
		out = append(out, string(l))
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// rawCell is cell for text wrap already translated.
func (d *doc) rawCell(w, h float64, s, align string, ln int) {
	d.pdf.CellFormat(w, h, s, "", ln, align, false, 0, "")
}

// contentWidth is the page width between the margins.
func (d *doc) contentWidth() float64 {
	w, _ := d.pdf.GetPageSize()
	l, _, r, _ := d.pdf.GetMargins()
	return w - l - r
}

// room tells whether h millimetres still fit above the bottom margin.
func (d *doc) room(h float64) bool {
	_, ph := d.pdf.GetPageSize()
	_, _, _, b := d.pdf.GetMargins()
	return d.pdf.GetY()+h <= ph-b
}

// image places a PNG or JPEG held in memory, w wide (h 0 keeps the ratio).
// A picture gofpdf cannot read is left out rather than failing the
// document: a receipt must print even with a broken logo.
func (d *doc) image(name string, data []byte, x, y, w, h float64) {
	tp := imageType(data)
	if tp == "" {
		return
	}
	opt := gofpdf.ImageOptions{ImageType: tp}
	info := d.pdf.RegisterImageOptionsReader(name, opt, bytes.NewReader(data))
	if d.pdf.Err() {
		d.pdf.ClearError()
		return
	}
	if info != nil {
		d.pdf.ImageOptions(name, x, y, w, h, false, opt, 0, "")
	}
}

// imageType recognises PNG and JPEG by their first bytes.
func imageType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "PNG"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "JPG"
	}
	return ""
}

// footer numbers the pages of a report: "title – page 2/5".
func (d *doc) footer(title string) {
	d.pdf.AliasNbPages("{nb}")
	d.pdf.SetFooterFunc(func() {
		_, ph := d.pdf.GetPageSize()
		_, _, _, b := d.pdf.GetMargins()
		d.pdf.SetXY(d.leftMargin(), ph-b+2)
		d.font("", 7)
		d.cell(d.contentWidth()/2, 4, title, "", "L", 0)
		d.cell(d.contentWidth()/2, 4, fmt.Sprintf("page %d/{nb}", d.pdf.PageNo()), "", "R", 0)
	})
}

// leftMargin is the page's left margin.
func (d *doc) leftMargin() float64 {
	l, _, _, _ := d.pdf.GetMargins()
	return l
}

// hrule draws a thin line across the content width at the current y.
func (d *doc) hrule() {
	y := d.pdf.GetY()
	d.pdf.Line(d.leftMargin(), y, d.leftMargin()+d.contentWidth(), y)
}

// cp1252Table maps every non-ASCII character Windows-1252 has to its byte:
// the embedded font is a cp1252 font, so every string given to gofpdf goes
// through cp1252 first. Built once from x/text rather than from gofpdf's map
// file at each document.
var cp1252Table = func() map[rune]byte {
	m := make(map[rune]byte, 128)
	for b := 0x80; b <= 0xFF; b++ {
		if r := charmap.Windows1252.DecodeByte(byte(b)); r != utf8.RuneError {
			m[r] = byte(b)
		}
	}
	return m
}()

// substitutes stand in for characters cp1252 lacks but our strings may hold:
// narrow and thin spaces (French typography puts them before « ; : ! ? »)
// become the no-break space, dashes and minus signs a hyphen or a dash.
var substitutes = map[rune]string{
	'\u202F': "\u00a0", '\u2009': "\u00a0", '\u2007': "\u00a0", '\u2002': " ", '\u2003': " ",
	'\u2010': "-", '\u2011': "-", '\u2012': "–", '\u2212': "–", '\u2015': "—",
	'\u2032': "'", '\u2033': "\"", '\u2192': "->", '\u2190': "<-", '\u2713': "x",
}

// cp1252 translates UTF-8 to the bytes the embedded font is encoded in;
// characters with no cp1252 byte become a close substitute or "?", never a
// missing glyph.
func cp1252(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r < utf8.RuneSelf:
			b.WriteByte(byte(r))
		case cp1252Table[r] != 0:
			b.WriteByte(cp1252Table[r])
		case substitutes[r] != "":
			b.WriteString(cp1252(substitutes[r]))
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
