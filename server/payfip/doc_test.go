package payfip

import (
	"os"
	"strings"
	"testing"
)

// TestDocVectors checks that docs/payfip.md shows the very bytes the client
// sends, so that a re-implementation from the page speaks as we do.
func TestDocVectors(t *testing.T) {
	doc, err := os.ReadFile("../../docs/payfip.md")
	if err != nil {
		t.Fatal(err)
	}
	create, err := createEnvelope(&CreateRequest{Exer: "2026", Mel: "helene.lefevre@example.fr", Montant: 6160, Numcli: "123456",
		Objet: Objet("FAC-2026-00101 Régie Enfance – Ville de Montaigu-sur-Loire"), Refdet: Refdet("FAC-2026-00101", "i-0001-1"),
		Saisie: "W", URLNotif: "https://paiements.ville.fr/payfip/notification", URLRedirect: "https://paiements.ville.fr/payfip/retour"})
	if err != nil {
		t.Fatal(err)
	}
	detail, err := detailEnvelope("cc0cb210-1cd4-11ea-8cca-0213ad91a103")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]byte{create, detail} {
		if !strings.Contains(string(doc), "```xml\n"+string(b)+"\n```") {
			t.Errorf("docs/payfip.md lacks the envelope:\n%s", b)
		}
	}
}
