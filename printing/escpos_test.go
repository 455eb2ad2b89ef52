package printing

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden ESC/POS files in testdata/")

// escpos builds the sample receipt's ESC/POS bytes.
func escpos(t *testing.T, d *ReceiptData, o ThermalOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteReceiptESCPOS(&b, d, o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReceiptESCPOSGolden compares the sample receipt with
// testdata/receipt.escpos byte for byte; -update rewrites it after a
// deliberate change (look at it with `xxd` or print it before committing).
func TestReceiptESCPOSGolden(t *testing.T) {
	got := escpos(t, sampleReceipt(), ThermalOptions{OpenDrawer: true})
	path := filepath.Join("testdata", "receipt.escpos")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("ESC/POS output differs from %s (run with -update after checking the change)", path)
	}
}

// TestReceiptESCPOSBytes checks in the golden file what a printer needs:
// initialisation and code page PC858, € as 0xD5 and é as 0x82 (never UTF-8
// nor Windows-1252), bold and double size, the QR code of the URL, the cut
// and the drawer kick.
func TestReceiptESCPOSBytes(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "receipt.escpos"))
	if err != nil {
		t.Fatal(err)
	}
	url := sampleReceipt().VerifyURL
	qrStore := append([]byte{0x1D, '(', 'k', byte(len(url) + 3), 0, 49, 80, 48}, url...)
	for name, want := range map[string][]byte{
		"init and PC858":     {0x1B, '@', 0x1B, 't', 19},
		"euro 0xD5":          []byte("93,60 \xD5"),
		"é 0x82 in Régie":    []byte("R\x82gie Enfance"),
		"è 0x8A in Espèces":  []byte("Esp\x8Aces"),
		"Ç 0x80 in REÇU":     []byte("RE\x80U"),
		"bold on":            {0x1B, 'E', 1},
		"double size":        {0x1D, '!', 0x11},
		"QR model 2":         {0x1D, '(', 'k', 4, 0, 49, 65, 50, 0},
		"QR data is the URL": qrStore,
		"QR print":           {0x1D, '(', 'k', 3, 0, 49, 81, 48},
		"cut then drawer":    {0x1D, 'V', 'A', 0, 0x1B, 'p', 0, 25, 250},
		"amount in words":    []byte("Soit quatre-vingt-treize euros et soixante"),
	} {
		if !bytes.Contains(b, want) {
			t.Errorf("%s: % X not found", name, want)
		}
	}
	if bytes.Contains(b, []byte("€")) || bytes.Contains(b, []byte("é")) {
		t.Error("UTF-8 left in the ESC/POS output")
	}
}

// TestReceiptESCPOSLines checks that no printed line is wider than the
// paper, in 48 and 32 columns, and that the drawer stays shut when not asked.
func TestReceiptESCPOSLines(t *testing.T) {
	for _, cols := range []int{48, 32} {
		d := sampleReceipt()
		d.Cancelled = nil
		b := escpos(t, d, ThermalOptions{Columns: cols})
		if bytes.Contains(b, []byte{0x1B, 'p'}) {
			t.Errorf("%d columns: drawer kick without OpenDrawer", cols)
		}
		for _, line := range strings.Split(string(stripESC(b)), "\n") {
			if len(line) > cols {
				t.Errorf("%d columns: line of %d: %q", cols, len(line), line)
			}
		}
	}
}

// stripESC removes the commands our ESC/POS output uses, leaving the text.
func stripESC(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == 0x1B && i+1 < len(b) && b[i+1] == '@':
			i++
		case b[i] == 0x1B && i+1 < len(b) && b[i+1] == 'p':
			i += 4
		case b[i] == 0x1B:
			i += 2
		case b[i] == 0x1D && i+1 < len(b) && b[i+1] == '(':
			n := int(b[i+3]) | int(b[i+4])<<8
			i += 4 + n
		case b[i] == 0x1D && i+1 < len(b) && b[i+1] == 'V':
			i += 3
		case b[i] == 0x1D:
			i += 2
		default:
			out = append(out, b[i])
		}
	}
	return out
}

// TestWrapColumns covers the column wrapping of thermal lines.
func TestWrapColumns(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want []string
	}{
		{"court", 10, []string{"court"}},
		{"un deux trois quatre", 10, []string{"un deux", "trois", "quatre"}},
		{"https://exemple.fr/abcdefghij", 10, []string{"https://ex", "emple.fr/a", "bcdefghij"}},
		{"payé 1\u00a0234,50\u00a0€", 12, []string{"payé", "1\u00a0234,50\u00a0€"}},
	} {
		got := wrapColumns(tc.in, tc.n)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrapColumns(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
	if got := pc858Text("Cœur « là » – 5\u202f€ ✓"); got != "Coeur « là » - 5\u00a0€ ?" {
		t.Errorf("pc858Text = %q", got)
	}
}
