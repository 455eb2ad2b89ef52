package bank

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/regie-fr/regie/printing"
)

// TestReceiptOfAMatchedCredit: a credit matched at import is on the
// household's portal with a receipt of counter GESTION that prints the
// mode, the bank's reference and who imported the statement.
func TestReceiptOfAMatchedCredit(t *testing.T) {
	e := newEnv(t)
	if _, err := e.importFile("enf-camt053-001-02.xml", "ENF"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ref, household string
		want           []string
	}{
		{"2026120100001", "h-0001", []string{"R-ENF-GESTION-2026-000001", "Virement", "2026120100001", "Marie Dupont", "61,60 €", "FAC-2026-00101"}},
		{"2026120100006/PRLV-0001", "h-0005", []string{"R-ENF-GESTION-2026-000003", "Prélèvement", "2026120100006/PRLV-0001", "50,00 €", "FAC-2026-00503"}},
	} {
		p := e.payment(c.ref)
		ps := e.st.Portal()
		list, err := ps.Payments(context.Background(), c.household, 2026)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, x := range list {
			found = found || x.Receipt == p.Receipt
		}
		if !found {
			t.Errorf("%s not on the portal of %s", p.Receipt, c.household)
		}
		d, err := ps.Receipt(context.Background(), c.household, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := printing.WriteReceiptPDF(&b, d, printing.PageA5); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
		cmd.Stdin = &b
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("receipt %s lacks %q:\n%s", p.Receipt, w, text)
			}
		}
	}
}
