//go:build !windows

package printing

// command runs lp (or p.Command) with the PDF on its standard input.
func (p *SystemPrinter) command(title string, pdf []byte) (*sysCmd, error) {
	name := p.Command
	if name == "" {
		name = "lp"
	}
	return &sysCmd{name: name, args: p.lpArgs(title), stdin: pdf}, nil
}
