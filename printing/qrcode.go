package printing

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"sync"

	"github.com/boombuler/barcode/qr"
)

// Our own QR encoder, for the receipts' verification URLs: byte mode, error
// correction level M, versions 1 to 10 (up to 213 bytes). It exists for
// speed: boombuler/barcode's encoder takes about 2.5 ms for such a URL,
// more than the whole receipt's budget, nearly all of it scoring the eight
// masks through a bit list; this one scores them on 64-bit rows
// (qrplace.go) and takes about 0.2 ms. It chooses the mask with the same
// penalty rules as boombuler/barcode, and qrcode_test.go checks that both
// give the very same symbol for every length from 1 to 213 bytes; anything
// longer is left to boombuler/barcode (qrPNG falls back).

// qrBlocks is the block structure of one version at level M: the error
// correction codewords per block, and the number of blocks with each data
// length (group 1, then group 2 with one codeword more).
type qrBlocks struct {
	ec         int
	n1, d1, n2 int
	align      []int // alignment pattern centres
}

// qrVersionsM are versions 1–10 at level M (ISO/IEC 18004, table 9).
var qrVersionsM = [...]qrBlocks{
	1:  {10, 1, 16, 0, nil},
	2:  {16, 1, 28, 0, []int{6, 18}},
	3:  {26, 1, 44, 0, []int{6, 22}},
	4:  {18, 2, 32, 0, []int{6, 26}},
	5:  {24, 2, 43, 0, []int{6, 30}},
	6:  {16, 4, 27, 0, []int{6, 34}},
	7:  {18, 4, 31, 0, []int{6, 22, 38}},
	8:  {22, 2, 38, 2, []int{6, 24, 42}},
	9:  {22, 3, 36, 2, []int{6, 26, 46}},
	10: {26, 4, 43, 1, []int{6, 28, 50}},
}

// dataLen is the number of data codewords of a version.
func (b *qrBlocks) dataLen() int { return b.n1*b.d1 + b.n2*(b.d1+1) }

// errQRTooLong says the text needs a version above 10.
var errQRTooLong = errors.New("printing: QR code: text too long for version 10")

// qrMatrix encodes text and returns its modules, row by row (true is dark),
// and the side in modules, without quiet zone.
func qrMatrix(text string) ([]bool, int, error) {
	data := []byte(text)
	version := 0
	for v := 1; v <= 10; v++ {
		count := 8
		if v >= 10 {
			count = 16
		}
		if 4+count+8*len(data) <= 8*qrVersionsM[v].dataLen() {
			version = v
			break
		}
	}
	if version == 0 {
		return nil, 0, errQRTooLong
	}
	vi := &qrVersionsM[version]
	codewords := qrCodewords(qrDataBits(data, version, vi.dataLen()), vi)
	return qrPlace(codewords, version, vi), 17 + 4*version, nil
}

// qrDataBits writes mode, length, the bytes, the terminator and padding.
func qrDataBits(data []byte, version, capacity int) []byte {
	var out []byte
	var acc uint32
	n := 0
	put := func(v uint32, bits int) {
		for i := bits - 1; i >= 0; i-- {
			acc = acc<<1 | (v>>uint(i))&1
			if n++; n == 8 {
				out = append(out, byte(acc))
				acc, n = 0, 0
			}
		}
	}
	put(0b0100, 4)
	if version >= 10 {
		put(uint32(len(data)), 16)
	} else {
		put(uint32(len(data)), 8)
	}
	for _, b := range data {
		put(uint32(b), 8)
	}
	for i := 0; i < 4 && len(out) < capacity; i++ {
		put(0, 1)
	}
	for n != 0 {
		put(0, 1)
	}
	for pad := byte(0xEC); len(out) < capacity; pad ^= 0xEC ^ 0x11 {
		out = append(out, pad)
	}
	return out
}

// qrCodewords splits data into blocks, adds each block's Reed–Solomon
// codewords, and interleaves them.
func qrCodewords(data []byte, vi *qrBlocks) []byte {
	var blocks, ecs [][]byte
	gen := rsGenerator(vi.ec)
	for i, off := 0, 0; i < vi.n1+vi.n2; i++ {
		l := vi.d1
		if i >= vi.n1 {
			l++
		}
		b := data[off : off+l]
		off += l
		blocks = append(blocks, b)
		ecs = append(ecs, rsRemainder(b, gen))
	}
	var out []byte
	for i := 0; i <= vi.d1; i++ {
		for _, b := range blocks {
			if i < len(b) {
				out = append(out, b[i])
			}
		}
	}
	for i := 0; i < vi.ec; i++ {
		for _, e := range ecs {
			out = append(out, e[i])
		}
	}
	return out
}

// gfExp and gfLog are the powers and logarithms of α in GF(256) with the
// QR polynomial x⁸+x⁴+x³+x²+1, for the Reed–Solomon codewords.
var gfExp, gfLog = func() (exp [512]byte, log [256]byte) {
	x := 1
	for i := 0; i < 255; i++ {
		exp[i] = byte(x)
		log[x] = byte(i)
		if x <<= 1; x&0x100 != 0 {
			x ^= 0x11D
		}
	}
	for i := 255; i < 512; i++ {
		exp[i] = exp[i-255]
	}
	return
}()

// gfMul multiplies in GF(256) through the logarithms.
func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[int(gfLog[a])+int(gfLog[b])]
}

// rsGenerator is ∏(x − αⁱ), i < n, highest degree first without its 1.
func rsGenerator(n int) []byte {
	g := []byte{1}
	for i := 0; i < n; i++ {
		next := make([]byte, len(g)+1)
		for j, c := range g {
			next[j] ^= c
			next[j+1] ^= gfMul(c, gfExp[i])
		}
		g = next
	}
	return g[1:]
}

// rsRemainder is data·xⁿ mod the generator: the error correction codewords.
func rsRemainder(data, gen []byte) []byte {
	r := make([]byte, len(gen))
	for _, d := range data {
		f := d ^ r[0]
		copy(r, r[1:])
		r[len(r)-1] = 0
		for i, g := range gen {
			r[i] ^= gfMul(g, f)
		}
	}
	return r
}

// qrImageOf draws modules, black on white, with the quiet zone, scale
// pixels a module.
func qrImageOf(m []bool, n, scale int) *image.Gray {
	side := (n + 2*qrQuiet) * scale
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if !m[y*n+x] {
				continue
			}
			for dy := 0; dy < scale; dy++ {
				row := ((qrQuiet+y)*scale + dy) * img.Stride
				for dx := 0; dx < scale; dx++ {
					img.Pix[row+(qrQuiet+x)*scale+dx] = 0
				}
			}
		}
	}
	return img
}

// qrQuiet is the blank margin around a QR code, in modules, that readers
// need (the standard asks for four).
const qrQuiet = 4

// qrPNG draws the QR code of text (error correction M, which survives a
// crease or a smudge on a receipt) as a grey PNG with scale pixels per
// module and its quiet zone. It also returns the side in modules, quiet
// zone included. Our own encoder (qrcode.go) does the work in a fraction
// of the time; boombuler/barcode takes over for texts too long for it. We
// register the image ourselves rather than through gofpdf's
// contrib/barcode, which stores barcodes as lossy JPEG in a global cache
// that never shrinks.
func qrPNG(text string, scale int) ([]byte, int, error) {
	var img *image.Gray
	var side int
	if m, n, err := qrMatrix(text); err == nil {
		img, side = qrImageOf(m, n, scale), n+2*qrQuiet
	} else {
		code, err := qr.Encode(text, qr.M, qr.Unicode)
		if err != nil {
			return nil, 0, fmt.Errorf("printing: QR code: %w", err)
		}
		img, side = qrImage(code, scale)
	}
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: pngBuffers}
	if err := enc.Encode(&b, img); err != nil {
		return nil, 0, fmt.Errorf("printing: QR code: %w", err)
	}
	return b.Bytes(), side, nil
}

// pngBuffers keeps the PNG encoder's state, deflate tables included,
// between receipts: a fresh zlib writer allocates about a megabyte, which
// cost more time than drawing the code.
var pngBuffers = &pngPool{}

// pngPool is a png.EncoderBufferPool over a sync.Pool.
type pngPool struct{ p sync.Pool }

// Get returns pooled encoder buffers, or nil for the encoder to make them.
func (p *pngPool) Get() *png.EncoderBuffer {
	b, _ := p.p.Get().(*png.EncoderBuffer)
	return b
}

// Put keeps the buffers for the next QR code.
func (p *pngPool) Put(b *png.EncoderBuffer) { p.p.Put(b) }

// qrImage renders a boombuler/barcode code, black on white, in a grey
// image with the quiet zone.
func qrImage(code image.Image, scale int) (*image.Gray, int) {
	n := code.Bounds().Dx()
	m := make([]bool, n*n)
	min := code.Bounds().Min
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			m[y*n+x] = color.GrayModel.Convert(code.At(min.X+x, min.Y+y)).(color.Gray).Y < 0x80
		}
	}
	return qrImageOf(m, n, scale), n + 2*qrQuiet
}

// qr places the QR code of text with its top-left corner at (x, y), side
// millimetres wide, quiet zone included.
func (d *doc) qr(text string, x, y, side float64) error {
	data, _, err := qrPNG(text, 1)
	if err != nil {
		return err
	}
	d.image("qr", data, x, y, side, side)
	return nil
}
