package printing

import (
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boombuler/barcode/qr"
)

// TestReceiptQRCode takes the QR code back out of each receipt PDF with
// pdfimages and compares it module by module with the QR code of the
// verification URL: the picture on paper is that URL's code, whole, with
// its quiet zone. With REGIE_TEST_ZBAR=1 it also renders the page and has
// zbarimg (Debian zbar-tools) read the code back, as a phone would.
func TestReceiptQRCode(t *testing.T) {
	d := sampleReceipt()
	want, err := qr.Encode(d.VerifyURL, qr.M, qr.Auto)
	if err != nil {
		t.Fatal(err)
	}
	n := want.Bounds().Dx()
	for _, l := range layouts {
		t.Run(l.String(), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "r.pdf")
			if err := os.WriteFile(path, receiptPDF(t, d, l), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("pdfimages", "-png", path, filepath.Join(dir, "img")).CombinedOutput(); err != nil {
				t.Fatalf("pdfimages: %v: %s", err, out)
			}
			imgs, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
			if len(imgs) != 1 {
				t.Fatalf("%d images in the receipt, want the QR code alone", len(imgs))
			}
			got := readPNG(t, imgs[0])
			if b := got.Bounds(); b.Dx() != n+2*qrQuiet || b.Dy() != n+2*qrQuiet {
				t.Fatalf("QR image %v, want %d modules and the quiet zone", b, n)
			}
			for y := -qrQuiet; y < n+qrQuiet; y++ {
				for x := -qrQuiet; x < n+qrQuiet; x++ {
					wantDark := x >= 0 && y >= 0 && x < n && y < n && dark(want.At(x, y))
					if gotDark := dark(got.At(x+qrQuiet, y+qrQuiet)); gotDark != wantDark {
						t.Fatalf("module (%d,%d) dark=%v, want %v", x, y, gotDark, wantDark)
					}
				}
			}
			if os.Getenv("REGIE_TEST_ZBAR") == "1" {
				zbarDecode(t, path, d.VerifyURL)
			}
		})
	}
}

// zbarDecode renders the page at 300 dpi and reads its QR code with zbarimg.
func zbarDecode(t *testing.T, pdf, want string) {
	t.Helper()
	page := strings.TrimSuffix(pdf, ".pdf") + "-page"
	if out, err := exec.Command("pdftoppm", "-png", "-r", "300", "-singlefile", pdf, page).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	out, err := exec.Command("zbarimg", "--raw", "-q", page+".png").Output()
	if err != nil {
		t.Fatalf("zbarimg (apt-get install zbar-tools): %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != want {
		t.Fatalf("zbarimg read %q, want %q", got, want)
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func dark(c interface{ RGBA() (r, g, b, a uint32) }) bool {
	r, g, b, _ := c.RGBA()
	return r+g+b < 3*0x8000
}
