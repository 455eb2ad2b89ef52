package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/regie-fr/regie/app/store"
)

// verify prints the report of a counter file and exits 0 when it is
// intact, 1 when something is broken, 2 when it cannot be read.
func verify(ctx context.Context, file string, stdout, stderr io.Writer) int {
	if _, err := os.Stat(file); err != nil {
		fmt.Fprintf(stderr, "Fichier introuvable : %s\n", file)
		return 2
	}
	r, err := store.Verify(ctx, file)
	if err != nil {
		fmt.Fprintf(stderr, "Impossible de vérifier %s : %v\n", file, err)
		return 2
	}
	fmt.Fprintf(stdout, "Fichier : %s\nPoste : %s\nEntrées : %d — paiements : %d — clôtures : %d\n",
		file, r.Counter, r.Entries, r.Payments, r.Closings)
	if r.OK() {
		fmt.Fprintf(stdout, "Dernière empreinte : %s\nRésultat : journal intègre.\n", r.LastHash)
		return 0
	}
	fmt.Fprintf(stdout, "Résultat : JOURNAL ALTÉRÉ. Première anomalie : %s\n", r.Problems[0])
	for _, p := range r.Problems[1:] {
		fmt.Fprintf(stdout, "  puis : %s\n", p)
	}
	if r.Truncated {
		fmt.Fprintln(stdout, "  (d'autres anomalies suivent, non listées)")
	}
	return 1
}
