package printing

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// ESC/POS commands (Epson's, which nearly every 80 mm thermal printer
// understands).
var (
	escInit       = []byte{0x1B, '@'}
	escPC858      = []byte{0x1B, 't', 19} // code page PC858: Latin-1 letters and €
	escBoldOn     = []byte{0x1B, 'E', 1}
	escBoldOff    = []byte{0x1B, 'E', 0}
	escLeft       = []byte{0x1B, 'a', 0}
	escCenter     = []byte{0x1B, 'a', 1}
	escBig        = []byte{0x1D, '!', 0x11} // double width and height
	escNormal     = []byte{0x1D, '!', 0x00}
	escCut        = []byte{0x1D, 'V', 'A', 0} // feed to the cutter and cut
	escDrawerKick = []byte{0x1B, 'p', 0, 25, 250}
)

// ThermalOptions adjust the ESC/POS output to the printer.
type ThermalOptions struct {
	// Columns is the number of characters per line in the normal font: 48
	// on 80 mm paper (the default), 42 on some models, 32 on 58 mm paper.
	Columns int
	// QRModule is the QR code's module size in dots, 1 to 16 (default 6,
	// about 2 cm on a 203 dpi printer for a typical URL).
	QRModule int
	// OpenDrawer sends the cash-drawer kick after the cut; the counter asks
	// for it on cash payments, not on reprints.
	OpenDrawer bool
}

// WriteReceiptESCPOS writes the receipt as ESC/POS for an 80 mm thermal
// printer: code page PC858 (€ and French accents), bold headings, double
// size for the title, DUPLICATA, ANNULÉ and the total, the QR code printed
// by the printer itself (GS ( k), then the cut and, when asked, the drawer
// kick. Characters PC858 lacks are spelt out (œ → oe, ’ → ', – → -).
func WriteReceiptESCPOS(w io.Writer, d *ReceiptData, o ThermalOptions) error {
	v, err := newReceiptView(d)
	if err != nil {
		return err
	}
	if o.Columns <= 0 {
		o.Columns = 48
	}
	if o.QRModule < 1 || o.QRModule > 16 {
		o.QRModule = 6
	}
	b := bufio.NewWriter(w)
	b.Write(escInit)
	b.Write(escPC858)
	for _, l := range v.ticket() {
		escLine(b, &l, &o)
	}
	b.Write([]byte{0x1B, 'd', 4})
	b.Write(escCut)
	if o.OpenDrawer {
		b.Write(escDrawerKick)
	}
	if err := b.Flush(); err != nil {
		return fmt.Errorf("printing: ESC/POS: %w", err)
	}
	return nil
}

// escLine prints one ticket line with its alignment and style.
func escLine(b *bufio.Writer, l *tline, o *ThermalOptions) {
	cols := o.Columns
	if l.big {
		cols /= 2
	}
	switch l.kind {
	case tBlank:
		b.WriteByte('\n')
		return
	case tRule:
		b.WriteString(strings.Repeat("-", cols) + "\n")
		return
	case tQR:
		b.Write(escCenter)
		escQR(b, l.text, o.QRModule)
		b.Write(escLeft)
		return
	}
	if l.center {
		b.Write(escCenter)
	}
	if l.bold {
		b.Write(escBoldOn)
	}
	if l.big {
		b.Write(escBig)
	}
	if l.kind == tPair {
		right := pc858Text(l.right)
		left := wrapColumns(pc858Text(l.text), cols-utf8.RuneCountInString(right)-1)
		for i, s := range left {
			if i == len(left)-1 {
				s += strings.Repeat(" ", cols-utf8.RuneCountInString(s)-utf8.RuneCountInString(right)) + right
			}
			writePC858(b, s)
		}
	} else {
		for _, s := range wrapColumns(pc858Text(l.text), cols) {
			writePC858(b, s)
		}
	}
	if l.big {
		b.Write(escNormal)
	}
	if l.bold {
		b.Write(escBoldOff)
	}
	if l.center {
		b.Write(escLeft)
	}
}

// escQR has the printer draw the QR code of text: model 2, module size n,
// error correction M, store the data, print it.
func escQR(b *bufio.Writer, text string, n int) {
	data := []byte(text)
	b.Write([]byte{0x1D, '(', 'k', 4, 0, 49, 65, 50, 0})
	b.Write([]byte{0x1D, '(', 'k', 3, 0, 49, 67, byte(n)})
	b.Write([]byte{0x1D, '(', 'k', 3, 0, 49, 69, 49})
	size := len(data) + 3
	b.Write([]byte{0x1D, '(', 'k', byte(size), byte(size >> 8), 49, 80, 48})
	b.Write(data)
	b.Write([]byte{0x1D, '(', 'k', 3, 0, 49, 81, 48})
	b.WriteByte('\n')
}

// pc858Spelling replaces what PC858 cannot print by what reads the same.
var pc858Spelling = strings.NewReplacer(
	"œ", "oe", "Œ", "OE", "’", "'", "‘", "'", "“", "\"", "”", "\"", "„", "\"",
	"–", "-", "—", "-", "…", "...", "\u202f", "\u00a0", "\u2009", "\u00a0", "\u2212", "-",
)

// pc858Text spells s so every rune has a PC858 byte (others become "?"),
// keeping the no-break spaces so wrapping never splits an amount.
func pc858Text(s string) string {
	s = pc858Spelling.Replace(s)
	return strings.Map(func(r rune) rune {
		if _, ok := charmap.CodePage858.EncodeRune(r); ok || r == '\u00a0' {
			return r
		}
		return '?'
	}, s)
}

// writePC858 writes one line in PC858 and ends it; a no-break space is
// printed as a plain space, which every printer shows blank.
func writePC858(b *bufio.Writer, s string) {
	for _, r := range s {
		if r == '\u00a0' {
			b.WriteByte(' ')
			continue
		}
		c, _ := charmap.CodePage858.EncodeRune(r)
		b.WriteByte(c)
	}
	b.WriteByte('\n')
}

// wrapColumns breaks s into lines of at most n characters, at spaces when
// it can and inside a word (a URL) when it must.
func wrapColumns(s string, n int) []string {
	if n < 1 {
		n = 1
	}
	var out []string
	for {
		r := []rune(s)
		if len(r) <= n {
			return append(out, s)
		}
		cut := -1
		for i := n; i > 0; i-- {
			if r[i] == ' ' {
				cut = i
				break
			}
		}
		if cut <= 0 {
			out = append(out, string(r[:n]))
			s = string(r[n:])
			continue
		}
		out = append(out, string(r[:cut]))
		s = strings.TrimLeft(string(r[cut:]), " ")
	}
}
