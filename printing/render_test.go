package printing

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var (
	renderDir = flag.String("render", "", "write the PNG renders into this directory (../docs/printing updates the committed ones)")
	keepPDF   = flag.Bool("keeppdf", false, "with -render, keep each PDF beside its PNG")
)

// renderPNG writes pdf into dir and renders its first page as name.png at
// 80 dpi with pdftoppm, as committed under docs/printing.
func renderPNG(t *testing.T, dir, name string, pdf []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".pdf")
	if *keepPDF {
		path = filepath.Join(dir, name+".pdf")
	}
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftoppm", "-png", "-r", "80", "-singlefile", path, filepath.Join(dir, name)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	if info, err := os.Stat(filepath.Join(dir, name+".png")); err != nil || info.Size() < 5000 {
		t.Fatalf("%s.png: %v, %v: nothing rendered", name, info, err)
	}
}

// TestRender renders the first page of every document with pdftoppm, into
// a temporary directory, or into the one -render names:
//
//	go test ./printing -run TestRender -render ../docs/printing
func TestRender(t *testing.T) {
	dir := *renderDir
	if dir == "" {
		dir = t.TempDir()
	}
	for name, build := range renderedDocs() {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := build(&b); err != nil {
				t.Fatal(err)
			}
			renderPNG(t, dir, name, b.Bytes())
		})
	}
}
