// Command regie-caisse is the counter's program. For now it has two
// commands: verify, which re-checks a counter file, and demo, which runs a
// day at a demo counter without a window (the desktop app comes next).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	_ "time/tzdata" // the régie's time zone, on Windows too
)

const usage = `Usage :
  regie-caisse verify FICHIER     vérifie un fichier de caisse (chaîne, numérotation, clôtures)
  regie-caisse demo [--db FICHIER] déroule une journée de démonstration sans fenêtre
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status, so the
// commands can be tested in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		args = []string{"demo"}
	}
	switch args[0] {
	case "verify":
		if len(args) != 2 {
			fmt.Fprint(stderr, usage)
			return 2
		}
		return verify(ctx, args[1], stdout, stderr)
	case "demo":
		return demoDay(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "Commande inconnue : %s\n%s", args[0], usage)
	return 2
}
