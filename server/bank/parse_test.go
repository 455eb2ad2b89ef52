package bank

import (
	"os"
	"strings"
	"testing"

	"github.com/regie-fr/regie"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type want struct {
	ref, booking, value string
	amount              regie.Money
	dir                 Direction
	mode                regie.PaymentMode
	code, remitter      string
	remittance          string
}

func check(t *testing.T, s *Statement, ws []want) {
	t.Helper()
	if len(s.Entries) != len(ws) {
		t.Fatalf("%d entries, want %d: %+v", len(s.Entries), len(ws), s.Entries)
	}
	for i, w := range ws {
		e := s.Entries[i]
		got := want{e.Ref, e.BookingDay, e.ValueDay, e.Amount, e.Direction, e.Mode, e.Code, e.Remitter, e.Remittance}
		if w.remittance == "*" {
			got.remittance = "*"
		}
		if got != w {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i+1, got, w)
		}
	}
}

func TestParseCAMT02(t *testing.T) {
	s, err := Parse(read(t, "enf-camt053-001-02.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Format != "camt.053.001.02" || s.IBAN != "FR7330001004900000012345005" || s.ID != "ENF-RLV-2026-336" ||
		s.From != "2026-12-01" || s.To != "2026-12-01" {
		t.Fatalf("statement %+v", s)
	}
	check(t, s, []want{
		{"2026120100001", "2026-12-01", "2026-12-01", 61_60, Credit, regie.Transfer, "PMNT/RCDT/ESCT", "MME LEFEVRE HELENE", "FAC-2026-00101"},
		{"2026120100002", "2026-12-01", "2026-12-01", 32_00, Credit, regie.Transfer, "PMNT/RCDT/ESCT", "NGUYEN THOMAS", "Facture fac-2026-00202 periscolaire octobre"},
		{"2026120100003", "2026-12-01", "2026-12-01", 50_00, Credit, regie.Transfer, "PMNT/RCDT/ESCT", "MOREAU FRANCOISE", "COMPTE F001003 ENFANCE"},
		{"2026120100004", "2026-12-01", "2026-12-01", 40_00, Credit, regie.Transfer, "PMNT/RCDT/ESCT", "BENALI KARIM", "FAC-2026-00401 ACOMPTE"},
		{"2026120100005", "2026-12-01", "2026-12-01", 25_00, Credit, regie.Transfer, "PMNT/RCDT/ESCT", "M DURAND PIERRE", "CANTINE NOVEMBRE"},
		{"2026120100006/PRLV-0001", "2026-12-01", "2026-12-02", 50_00, Credit, regie.DirectDebit, "PMNT/IDDT/ESDD", "GARCON AURELIE", "FAC-2026-00503"},
		{"2026120100006/PRLV-0002", "2026-12-01", "2026-12-02", 32_00, Credit, regie.DirectDebit, "PMNT/IDDT/ESDD", "PETIT STEPHANE", "FAC-2026-00602"},
		{"2026120100007", "2026-12-01", "2026-12-02", 150_00, Credit, "", "PMNT/RCHQ/BCHQ", "", "REMISE CHEQUES N 0001234 BORDEREAU C01"},
		{"2026120100008", "2026-12-01", "2026-12-01", 12_00, Debit, "", "ACMT/MDOP/CHRG", "", "FRAIS TENUE DE COMPTE NOVEMBRE"},
	})
}

func TestParseCAMT08(t *testing.T) {
	s, err := Parse(read(t, "enf-camt053-001-08.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Format != "camt.053.001.08" || s.IBAN != "FR7330001004900000012345005" || s.From != "2026-12-02" {
		t.Fatalf("statement %+v", s)
	}
	check(t, s, []want{
		{"2026120200001", "2026-12-02", "2026-12-02", 32_00, Credit, regie.Transfer, "PMNT/RCDT/ESCT", "MOREAU FRANCOISE", "FAC-2026-00302"},
		{"2026120200002", "2026-12-02", "2026-12-02", 111_60, Credit, regie.Transfer, "PMNT/RCDT/ESCT", "PETIT STEPHANE", "FAC-2026-00601 ET FAC-2026-00603"},
		{"2026120200003", "2026-12-02", "2026-12-02", 61_60, Debit, regie.DirectDebit, "PMNT/IDDT/UPDD", "REGIE ENFANCE", "IMPAYE PRLV FAC-2026-00201"},
	})
}

func TestParseCSV(t *testing.T) {
	for _, name := range []string{"enf-releve.csv", "enf-releve-ansi.csv"} {
		t.Run(name, func(t *testing.T) {
			s, err := Parse(read(t, name))
			if err != nil {
				t.Fatal(err)
			}
			if s.Format != "csv" || s.IBAN != "FR7330001004900000012345005" || s.From != "2026-12-03" || s.To != "2026-12-03" {
				t.Fatalf("statement %+v", s)
			}
			check(t, s, []want{
				{s.Entries[0].Ref, "2026-12-03", "2026-12-03", 61_60, Credit, regie.Transfer, "VIR SEPA", "GARÇON AURÉLIE", "VIR SEPA RECU /DE GARÇON AURÉLIE /MOTIF FAC-2026-00501 Cantine octobre"},
				{s.Entries[1].Ref, "2026-12-03", "2026-12-03", 45_10, Debit, regie.DirectDebit, "PRLV SEPA", "", "PRLV SEPA ÉLECTRICITÉ DE FRANCE Échéance décembre"},
				{s.Entries[2].Ref, "2026-12-03", "2026-12-03", 32_00, Credit, regie.Transfer, "VIR SEPA", "BENALI KARIM", "VIR SEPA RECU /DE BENALI KARIM /MOTIF F001004"},
				{s.Entries[3].Ref, "2026-12-03", "2026-12-04", 1234_56, Credit, regie.Transfer, "VIR SEPA", "SCI DES ÉCOLES", "VIR SEPA RECU /DE SCI DES ÉCOLES /MOTIF LOYER SALLE"},
				{s.Entries[4].Ref, "2026-12-03", "2026-12-04", 150_00, Credit, "", "REM CHQ", "", "REM CHQ 0004567 Remise de chèques guichet C01"},
			})
			for _, e := range s.Entries {
				if !strings.HasPrefix(e.Ref, "CSV-") || len(e.Ref) != 24 {
					t.Errorf("CSV key %q", e.Ref)
				}
			}
		})
	}
	// Both encodings of one export give the same keys: the same line is
	// the same entry whatever the file's encoding.
	a, _ := Parse(read(t, "enf-releve.csv"))
	b, _ := Parse(read(t, "enf-releve-ansi.csv"))
	for i := range a.Entries {
		if a.Entries[i].Ref != b.Entries[i].Ref {
			t.Errorf("entry %d: key %s in UTF-8, %s in Windows-1252", i, a.Entries[i].Ref, b.Entries[i].Ref)
		}
	}
}

// TestCSVKeys: identical lines get distinct keys by their rank, and a
// later export that repeats a line gives it the same key; a Référence
// column is taken as the key.
func TestCSVKeys(t *testing.T) {
	head := "IBAN;FR7330001004900000012345005\nDate;Libellé;Montant\n"
	line := "01/12/2026;VIR SEPA RECU /MOTIF FAC-2026-00101;61,60\n"
	one, err := ParseCSV([]byte(head + line))
	if err != nil {
		t.Fatal(err)
	}
	two, err := ParseCSV([]byte(head + line + line + "02/12/2026;VIR X;-3,00\n"))
	if err != nil {
		t.Fatal(err)
	}
	if two.Entries[0].Ref != one.Entries[0].Ref || two.Entries[1].Ref == two.Entries[0].Ref {
		t.Errorf("keys %s %s (first export %s)", two.Entries[0].Ref, two.Entries[1].Ref, one.Entries[0].Ref)
	}
	if e := two.Entries[2]; e.Direction != Debit || e.Amount != 3_00 {
		t.Errorf("signed amount: %+v", e)
	}
	ref, err := ParseCSV([]byte("IBAN;FR7330001004900000012345005\nDate;Référence;Libellé;Montant\n01/12/2026;OP-778;VIR;5,00\n"))
	if err != nil || ref.Entries[0].Ref != "OP-778" {
		t.Errorf("reference column: %v %+v", err, ref)
	}
}

// TestRefusals: each malformed file is refused whole, with a French
// sentence naming the entry or line at fault.
func TestRefusals(t *testing.T) {
	camt := string(read(t, "enf-camt053-001-02.xml"))
	csvOK := "IBAN;FR7330001004900000012345005\nDate;Libellé;Débit;Crédit\n01/12/2026;VIR A;;1,00\n"
	for _, c := range []struct {
		name, data, want string
	}{
		{"empty", "  \n", "vide"},
		{"not xml", "<Document><Stmt>", "XML mal formé"},
		{"other namespace", strings.Replace(camt, "camt.053.001.02", "pain.001.001.03", 1), "n'est pas un relevé camt.053"},
		{"bad amount", strings.Replace(camt, `<Amt Ccy="EUR">40.00</Amt>`, `<Amt Ccy="EUR">40,00</Amt>`, 1), "Écriture n° 4 : montant « 40,00 » illisible"},
		{"float-ish amount", strings.Replace(camt, `<Amt Ccy="EUR">40.00</Amt>`, `<Amt Ccy="EUR">40.001</Amt>`, 1), "Écriture n° 4 : montant"},
		{"currency", strings.Replace(camt, `<Amt Ccy="EUR">25.00</Amt>`, `<Amt Ccy="USD">25.00</Amt>`, 1), "Écriture n° 5 : montant en « USD »"},
		{"pending", strings.Replace(camt, "<Sts>BOOK</Sts>\n        <BookgDt><Dt>2026-12-01</Dt></BookgDt>\n        <ValDt><Dt>2026-12-01</Dt></ValDt>\n        <AcctSvcrRef>2026120100003", "<Sts>PDNG</Sts>\n        <BookgDt><Dt>2026-12-01</Dt></BookgDt>\n        <ValDt><Dt>2026-12-01</Dt></ValDt>\n        <AcctSvcrRef>2026120100003", 1), "Écriture n° 3 : statut « PDNG »"},
		{"direction", strings.Replace(camt, "<CdtDbtInd>DBIT</CdtDbtInd>", "<CdtDbtInd>DEBIT</CdtDbtInd>", 1), "Écriture n° 8 : sens"},
		{"no ref", strings.Replace(strings.Replace(camt, "<AcctSvcrRef>2026120100005</AcctSvcrRef>", "", 1), "<NtryRef>0005</NtryRef>", "", 1), "Écriture n° 5 : sans référence"},
		{"duplicate ref", strings.Replace(camt, "2026120100005", "2026120100004", 1), "la référence 2026120100004 figure déjà écriture n° 4"},
		{"batch sum", strings.Replace(camt, `<Amt Ccy="EUR">82.00</Amt>`, `<Amt Ccy="EUR">83.00</Amt>`, 1), "Écriture n° 6 : ses transactions font 82,00\u00a0€"},
		{"booking date", strings.Replace(camt, "<BookgDt><Dt>2026-12-01</Dt></BookgDt>", "<BookgDt><Dt>2026-13-01</Dt></BookgDt>", 1), "Écriture n° 1 : date de comptabilisation"},
		{"iban", strings.Replace(camt, "FR7330001004900000012345005", "FR7330001004900000012345006", 1), "IBAN valide"},
		{"trailing", camt + "<x/>", "du contenu suit"},
		{"csv no iban", "Date;Libellé;Montant\n01/12/2026;VIR;1,00\n", "Ligne 1 : l'IBAN du compte doit figurer"},
		{"csv no header", "IBAN;FR7330001004900000012345005\n01/12/2026;VIR;1,00\n", "En-tête introuvable"},
		{"csv date", strings.Replace(csvOK, "01/12/2026", "31/02/2026", 1), "Ligne 3 : date « 31/02/2026 » illisible"},
		{"csv amount", strings.Replace(csvOK, "1,00", "1,005", 1), "Ligne 3 : montant « 1,005 » illisible"},
		{"csv grouping", strings.Replace(csvOK, "1,00", "12 50,00", 1), "Ligne 3 : montant"},
		{"csv both", strings.Replace(csvOK, ";;1,00", ";2,00;1,00", 1), "Ligne 3 : une opération a un montant au débit ou au crédit"},
		{"csv quotes", csvOK + "02/12/2026;\"VIR;;1,00\n", "Ligne 4 : ligne CSV mal formée"},
		{"csv mixed encoding", csvOK + "02/12/2026;VIR \xe9t\xe9 \xc3\xa9;;1,00\n", "Ligne 4 : encodage incohérent"},
		{"csv utf16", "\xff\xfeI\x00", "UTF-16"},
		{"csv zero", strings.Replace(csvOK, "1,00", "0,00", 1), "Ligne 3 : montant nul"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Parse([]byte(c.data))
			if err == nil {
				t.Fatalf("accepted: %+v", s)
			}
			if _, ok := err.(*Error); !ok || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want %q", err, c.want)
			}
		})
	}
}

func TestParseXMLAmount(t *testing.T) {
	for s, want := range map[string]regie.Money{"61.6": 61_60, "61.60": 61_60, "0.01": 1, "1234.56000": 1234_56, "7": 7_00} {
		if got, ok := parseXMLAmount(s); !ok || got != want {
			t.Errorf("%s: %v %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "-1.00", "1.234", "1e3", "1,00", ".5", "1.", "0x10", "1 000.00", "9999999999999999.00"} {
		if got, ok := parseXMLAmount(s); ok {
			t.Errorf("%q accepted as %v", s, got)
		}
	}
}
