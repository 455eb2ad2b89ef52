// Command regie-caisse is the counter's program: the cashier's window, and
// the commands that check a counter file or play a demo day without one.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	_ "time/tzdata" // the régie's time zone, on Windows too

	_ "github.com/regie-fr/regie/internal/clocale" // before Fyne's init reads the locale: see the package
)

const usage = `Usage :
  regie-caisse [--config FICHIER] [--db FICHIER]   ouvre la caisse
  regie-caisse demo                                ouvre la caisse sur une régie de démonstration
  regie-caisse demo-console [--db FICHIER]         déroule une journée de démonstration sans fenêtre
  regie-caisse verify [options] FICHIER            vérifie un fichier de caisse : le reconstruit depuis son journal
                                                   et compare chaque table, chaque colonne ; chaîne, schéma, numérotation,
                                                   clôtures, remboursements
      --expect N°:EMPREINTE                          l'entrée n° N a cette empreinte (dernière entrée d'un rapport Z ; répétable)
      --receipt NUMÉRO:EMPREINTE                     ce reçu porte cette empreinte (celle imprimée sous le QR code ; répétable)
      --server [ADRESSE]                             compare avec la copie du serveur (par défaut celui du fichier)
  regie-caisse sync --db FICHIER                   une synchronisation (envoi et réception) puis sortie
  regie-caisse status --db FICHIER [--json]        état du poste : caisse, entrées à envoyer, synchronisation, vérification
  regie-caisse measure [--past N] [--payments N]   mesure démarrage, validation et mémoire (sous X ou xvfb-run)
  regie-caisse terminal-test --port PORT --amount 12,50  teste le terminal de paiement par un débit
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status, so the
// commands can be tested in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || len(args[0]) > 0 && args[0][0] == '-' && args[0] != "-h" && args[0] != "--help" {
		return gui(ctx, args, false, stderr)
	}
	switch args[0] {
	case "verify":
		return verify(ctx, args[1:], stdout, stderr)
	case "status":
		return status(ctx, args[1:], stdout, stderr)
	case "demo":
		return gui(ctx, args[1:], true, stderr)
	case "measure":
		return measure(ctx, args[1:], stdout, stderr)
	case "measure-child":
		return measureChild(ctx, args[1:], stdout, stderr)
	case "demo-console":
		return demoDay(ctx, args[1:], stdout, stderr)
	case "sync":
		return syncCmd(ctx, args[1:], stdout, stderr)
	case "terminal-test":
		return terminalTest(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "Commande inconnue : %s\n%s", args[0], usage)
	return 2
}
