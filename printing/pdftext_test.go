package printing

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pdfText extracts the text of a PDF with pdftotext (poppler-utils, which
// make deps installs), as a person copying it would get it: first with
// -layout, the page as it looks, then with -raw, in drawing order, where
// the lines of a table cell that wraps follow each other. A field is found
// when either has it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, mode := range []string{"-layout", "-raw"} {
		out, err := exec.Command("pdftotext", mode, "-enc", "UTF-8", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", mode, err)
		}
		all = append(all, string(out))
	}
	return strings.Join(all, "\n\f=== pdftotext -raw ===\n")
}

// layoutPart is the -layout half of pdfText's result.
func layoutPart(text string) string {
	before, _, _ := strings.Cut(text, "\f=== pdftotext -raw ===")
	return before
}

// wantURL looks for a URL that a narrow layout may have broken over lines:
// white space is ignored.
func wantURL(t *testing.T, text, url string) {
	t.Helper()
	if !strings.Contains(strings.Join(strings.Fields(text), ""), url) {
		t.Errorf("missing URL %q in:\n%s", url, layoutPart(text))
	}
}

// flat turns no-break spaces into spaces and every run of white space,
// line ends included, into one space, so that a field can be looked for
// whatever the layout's columns and wrapping.
func flat(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// wantText fails for each wanted string that is not in the text; both sides
// are compared flat, and -layout and -raw apart, so a field never straddles
// the two.
func wantText(t *testing.T, text string, wants ...string) {
	t.Helper()
	layout, raw, _ := strings.Cut(text, "\f=== pdftotext -raw ===")
	fl, fr := flat(layout), flat(raw)
	for _, w := range wants {
		if !strings.Contains(fl, flat(w)) && !strings.Contains(fr, flat(w)) {
			t.Errorf("missing %q in:\n%s", w, layout)
		}
	}
}

// wantNoText fails for each string that is in the text.
func wantNoText(t *testing.T, text string, nots ...string) {
	t.Helper()
	f := flat(text)
	for _, n := range nots {
		if strings.Contains(f, flat(n)) {
			t.Errorf("unexpected %q in:\n%s", n, layoutPart(text))
		}
	}
}

// build runs a document writer into memory and checks it is a PDF.
func build(t testing.TB, write func(io.Writer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b.Bytes()[:min(20, b.Len())])
	}
	return b.Bytes()
}
