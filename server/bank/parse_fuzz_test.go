package bank

import (
	"testing"
	"unicode/utf8"
)

// FuzzParseCAMT and FuzzParseCSV: whatever the bytes, the parsers answer a
// statement that meets every rule validate states, or a *Error — never a
// panic, never an entry without its reference, amount or day.
//
// FuzzParseCAMT is seeded with a one-entry statement of each version: with
// the full samples of testdata/ as seeds, Go's fuzzing engine stalls after
// its first executions (no hang of the parser: TestParseCAMT reads them,
// and random mutations of them all return at once); they are read by the
// unit tests instead.
func FuzzParseCAMT(f *testing.F) {
	f.Add([]byte(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>FR7330001004900000012345005</IBAN></Id></Acct><Ntry><Amt Ccy="EUR">1.5</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-01-01</Dt></BookgDt><NtryRef>1</NtryRef></Ntry></Stmt></BkToCstmrStmt></Document>`))
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>FR7330001004900000012345005</IBAN></Id><Ccy>EUR</Ccy></Acct><Ntry><Amt Ccy="EUR">82.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><DtTm>2026-01-01T10:00:00+01:00</DtTm></BookgDt><AcctSvcrRef>R1</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>IDDT</Cd><SubFmlyCd>ESDD</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><AcctSvcrRef>A</AcctSvcrRef></Refs><Amt Ccy="EUR">50</Amt><RltdPties><Dbtr><Pty><Nm>M\xe9</Nm></Pty></Dbtr></RltdPties><RmtInf><Strd><CdtrRefInf><Ref>FAC-1</Ref></CdtrRefInf></Strd></RmtInf></TxDtls><TxDtls><Amt Ccy="EUR">32.00</Amt></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseCAMT(data)
		checkParsed(t, s, err)
	})
}

func FuzzParseCSV(f *testing.F) {
	f.Add(read(f, "enf-releve.csv"))
	f.Add(read(f, "enf-releve-ansi.csv"))
	f.Add([]byte("IBAN;FR7330001004900000012345005\nDate;Référence;Libellé;Montant\n01/12/2026;OP-1;VIR;-1 234,56\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseCSV(data)
		checkParsed(t, s, err)
	})
}

func checkParsed(t *testing.T, s *Statement, err error) {
	if err != nil {
		if _, ok := err.(*Error); !ok || !utf8.ValidString(err.Error()) {
			t.Fatalf("error %T %q", err, err)
		}
		if s != nil {
			t.Fatal("a statement with an error")
		}
		return
	}
	if !ValidIBAN(s.IBAN) || len(s.Entries) == 0 || s.From > s.To {
		t.Fatalf("statement %+v", s)
	}
	refs := map[string]bool{}
	for _, e := range s.Entries {
		if e.Ref == "" || refs[e.Ref] || len(e.Ref) > maxRefLen || e.Amount <= 0 || !validDay(e.BookingDay) || !validDay(e.ValueDay) ||
			(e.Direction != Credit && e.Direction != Debit) || !utf8.ValidString(e.Remittance) || !utf8.ValidString(e.Remitter) {
			t.Fatalf("entry %+v", e)
		}
		refs[e.Ref] = true
	}
}
