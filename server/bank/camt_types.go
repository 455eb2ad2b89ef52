package bank

import "encoding/xml"

// The part of ISO 20022 camt.053 (BankToCustomerStatement) the régie reads.
// Tags carry no namespace so that every version's elements match; the
// version is read from the Document's namespace. Where versions differ the
// struct holds both spellings: Sts is a bare code up to .001.02 and
// <Sts><Cd> from .001.05; a party's name is <Dbtr><Nm> up to .001.02 and
// <Dbtr><Pty><Nm> from .001.08; a transaction's amount is
// <AmtDtls><TxAmt><Amt> in .001.02 and <Amt> from .001.03 on.
type camtDocument struct {
	XMLName xml.Name   `xml:"Document"`
	Stmts   []camtStmt `xml:"BkToCstmrStmt>Stmt"`
}

type camtStmt struct {
	ID     string      `xml:"Id"`
	FrDtTm string      `xml:"FrToDt>FrDtTm"`
	ToDtTm string      `xml:"FrToDt>ToDtTm"`
	IBAN   string      `xml:"Acct>Id>IBAN"`
	Ccy    string      `xml:"Acct>Ccy"`
	Ntries []camtEntry `xml:"Ntry"`
}

type camtAmount struct {
	Value string `xml:",chardata"`
	Ccy   string `xml:"Ccy,attr"`
}

type camtDate struct {
	Dt   string `xml:"Dt"`
	DtTm string `xml:"DtTm"`
}

type camtStatus struct {
	Text  string `xml:",chardata"`
	Cd    string `xml:"Cd"`
	Prtry string `xml:"Prtry"`
}

type camtEntry struct {
	NtryRef     string       `xml:"NtryRef"`
	Amt         camtAmount   `xml:"Amt"`
	CdtDbtInd   string       `xml:"CdtDbtInd"`
	RvslInd     string       `xml:"RvslInd"`
	Sts         camtStatus   `xml:"Sts"`
	BookgDt     camtDate     `xml:"BookgDt"`
	ValDt       camtDate     `xml:"ValDt"`
	AcctSvcrRef string       `xml:"AcctSvcrRef"`
	BkTxCd      camtTxCode   `xml:"BkTxCd"`
	TxDtls      []camtTxDtls `xml:"NtryDtls>TxDtls"`
	AddtlInf    string       `xml:"AddtlNtryInf"`
}

type camtTxCode struct {
	Domn    string `xml:"Domn>Cd"`
	Fmly    string `xml:"Domn>Fmly>Cd"`
	SubFmly string `xml:"Domn>Fmly>SubFmlyCd"`
	Prtry   string `xml:"Prtry>Cd"`
}

type camtParty struct {
	Nm    string `xml:"Nm"`
	PtyNm string `xml:"Pty>Nm"`
}

func (p camtParty) name() string {
	if p.Nm != "" {
		return p.Nm
	}
	return p.PtyNm
}

type camtTxDtls struct {
	AcctSvcrRef string     `xml:"Refs>AcctSvcrRef"`
	EndToEndID  string     `xml:"Refs>EndToEndId"`
	Amt         camtAmount `xml:"Amt"`
	TxAmt       camtAmount `xml:"AmtDtls>TxAmt>Amt"`
	CdtDbtInd   string     `xml:"CdtDbtInd"`
	BkTxCd      camtTxCode `xml:"BkTxCd"`
	Dbtr        camtParty  `xml:"RltdPties>Dbtr"`
	UltmtDbtr   camtParty  `xml:"RltdPties>UltmtDbtr"`
	Cdtr        camtParty  `xml:"RltdPties>Cdtr"`
	Ustrd       []string   `xml:"RmtInf>Ustrd"`
	StrdRefs    []string   `xml:"RmtInf>Strd>CdtrRefInf>Ref"`
	AddtlTxInf  string     `xml:"AddtlTxInf"`
}
