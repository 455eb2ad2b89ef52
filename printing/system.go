package printing

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// SystemPrinter prints PDFs through the operating system, for office
// printers and for thermal printers installed with a driver:
//
//   - Linux (and other Unix): CUPS's lp, the PDF on its standard input.
//   - Windows: the PDF is saved under the temporary folder and handed to the
//     application registered for PDFs with the "Print" verb (PowerShell's
//     Start-Process -Verb Print, or PrintTo a named printer). That needs a
//     PDF reader that registers these verbs (Adobe Acrobat Reader, Foxit,
//     SumatraPDF; Microsoft Edge does not), prints with the reader's own
//     settings, and may flash its window. Setting Command to SumatraPDF.exe
//     prints silently instead (-print-to-default / -print-to).
//
// Programs are always run with arguments, never through a shell, so a title
// or a printer name cannot inject a command.
type SystemPrinter struct {
	// Queue is the CUPS destination or Windows printer name; empty for the
	// default printer.
	Queue string
	// Copies is the number of copies, 1 when 0.
	Copies int
	// Options are CUPS job options, each passed as -o (media=A5,
	// fit-to-page, sides=one-sided…). Ignored on Windows.
	Options []string
	// Command replaces the program run: lp's path on Unix, SumatraPDF.exe on
	// Windows. Empty uses lp, or PowerShell on Windows.
	Command string
}

// PrintPDF prints pdf, naming the job title (the receipt number, the
// report's name) so it can be found in the printer's queue.
func (p *SystemPrinter) PrintPDF(ctx context.Context, title string, pdf []byte) error {
	c, err := p.command(title, pdf)
	if err != nil {
		return fmt.Errorf("printing: system printer: %w", err)
	}
	cmd := exec.CommandContext(ctx, c.name, c.args...)
	if c.stdin != nil {
		cmd.Stdin = bytes.NewReader(c.stdin)
	}
	if c.env != nil {
		cmd.Env = append(os.Environ(), c.env...)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("printing: system printer: %s: %w: %s", c.name, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// sysCmd is the program a SystemPrinter runs for one job.
type sysCmd struct {
	name  string
	args  []string
	stdin []byte   // the PDF, when the program reads it on standard input
	env   []string // added to the environment
}

// copies is the number of copies asked, at least one.
func (p *SystemPrinter) copies() int { return max(p.Copies, 1) }

// lpArgs are lp's arguments: the PDF comes on standard input.
func (p *SystemPrinter) lpArgs(title string) []string {
	args := []string{"-t", title, "-n", fmt.Sprint(p.copies())}
	if p.Queue != "" {
		args = append(args, "-d", p.Queue)
	}
	for _, o := range p.Options {
		args = append(args, "-o", o)
	}
	return args
}
