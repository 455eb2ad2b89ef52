package printing

import (
	"fmt"
	"strings"
	"testing"

	"github.com/boombuler/barcode/qr"
)

// TestQRMatrixMatchesBoombuler compares our encoder with boombuler/barcode,
// module by module, for texts of every length from 1 to 213 bytes, that is
// every version from 1 to 10, with accents (UTF-8 bytes) among them.
func TestQRMatrixMatchesBoombuler(t *testing.T) {
	base := "https://portail.exemple.fr/reçu/R-ENF-C01-2026-000042?h=3f2a9c1d0b7e55aa&v=" + strings.Repeat("abcdefghij", 20)
	versions := map[int]bool{}
	for l := 1; l <= 213; l++ {
		text := string([]byte(base)[:l])
		m, n, err := qrMatrix(text)
		if err != nil {
			t.Fatalf("%d bytes: %v", l, err)
		}
		versions[(n-17)/4] = true
		want, err := qr.Encode(text, qr.M, qr.Unicode)
		if err != nil {
			t.Fatal(err)
		}
		if want.Bounds().Dx() != n {
			t.Fatalf("%d bytes: side %d, boombuler %d", l, n, want.Bounds().Dx())
		}
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				if m[y*n+x] != dark(want.At(x, y)) {
					t.Fatalf("%d bytes (version %d): module (%d,%d) differs", l, (n-17)/4, x, y)
				}
			}
		}
	}
	if len(versions) != 10 {
		t.Fatalf("versions covered: %v", versions)
	}
	if _, _, err := qrMatrix(strings.Repeat("x", 214)); err != errQRTooLong {
		t.Fatalf("214 bytes: %v", err)
	}
}

// TestQRPNGLongText falls back to boombuler/barcode past version 10.
func TestQRPNGLongText(t *testing.T) {
	long := "https://exemple.fr/" + strings.Repeat("x", 400)
	png, side, err := qrPNG(long, 1)
	if err != nil || len(png) == 0 {
		t.Fatal(err)
	}
	want, _ := qr.Encode(long, qr.M, qr.Unicode)
	if side != want.Bounds().Dx()+2*qrQuiet {
		t.Fatal(fmt.Sprint("side ", side))
	}
}
