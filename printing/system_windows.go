//go:build windows

package printing

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// spoolDir holds the PDFs handed to the PDF reader, which opens them after
// PrintPDF has returned: they are removed an hour later, at the next print.
var spoolDir = filepath.Join(os.TempDir(), "regie-impression")

// command saves the PDF and prints it with SumatraPDF when p.Command is
// set, else through PowerShell's Start-Process -Verb Print (or PrintTo).
// The file and printer names reach PowerShell through the environment,
// never inside the command text.
func (p *SystemPrinter) command(title string, pdf []byte) (*sysCmd, error) {
	if err := os.MkdirAll(spoolDir, 0o700); err != nil {
		return nil, err
	}
	cleanSpool(time.Hour)
	f, err := os.CreateTemp(spoolDir, safeName(title)+"-*.pdf")
	if err != nil {
		return nil, err
	}
	_, err = f.Write(pdf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	path := f.Name()
	if p.Command != "" {
		args := []string{"-silent", "-print-settings", fmt.Sprintf("%dx", p.copies())}
		if p.Queue != "" {
			args = append(args, "-print-to", p.Queue)
		} else {
			args = append(args, "-print-to-default")
		}
		return &sysCmd{name: p.Command, args: append(args, path)}, nil
	}
	script := "Start-Process -FilePath $env:REGIE_PDF -Verb Print -WindowStyle Hidden"
	if p.Queue != "" {
		script = "Start-Process -FilePath $env:REGIE_PDF -Verb PrintTo -ArgumentList ('\"' + $env:REGIE_PRINTER + '\"') -WindowStyle Hidden"
	}
	return &sysCmd{name: "powershell.exe", args: []string{"-NoProfile", "-NonInteractive", "-Command", script},
		env: []string{"REGIE_PDF=" + path, "REGIE_PRINTER=" + p.Queue}}, nil
}

// cleanSpool removes spooled PDFs older than age.
func cleanSpool(age time.Duration) {
	entries, _ := os.ReadDir(spoolDir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > age {
			os.Remove(filepath.Join(spoolDir, e.Name()))
		}
	}
}

// safeName keeps letters, digits and dashes of a title for a file name.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, s)
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}
