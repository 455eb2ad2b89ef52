package printing

import (
	"time"

	"github.com/regie-fr/regie"
)

// Issuer is who hands a document out, printed at the top of every page: the
// régie (its name, address and code, and its time zone for the times shown),
// the counter's name and the régie's logo. It is filled from the cached
// settings, so printing never needs the store.
type Issuer struct {
	Regie regie.Regie
	// Counter is the counter's name as people know it ("Accueil mairie –
	// guichet 1"); its code is already in every receipt number.
	Counter string
	// Logo is an optional PNG or JPEG, printed top left (PDF only).
	Logo []byte
}

// ReceiptData is everything a receipt (quittance) shows. The counter fills it
// from the payment it has just recorded, or from the journal for a reprint;
// the server fills it the same way for the citizen portal, so the document is
// identical wherever it comes from.
type ReceiptData struct {
	Issuer
	// Agent is the name of the agent who cashed the payment.
	Agent   string
	Payment *regie.Payment
	// Household and Account name the foyer; empty for an anonymous sale.
	Household string
	Account   string
	// The household's access code is never printed: a receipt travels (it
	// is handed over, photographed, left behind), while the access code
	// links the household on the portal. It is only on the invoices mailed
	// to the household.
	// Remaining is, per invoice id, what is still due on the invoice after
	// this payment. An invoice missing from the map shows no remaining line.
	Remaining map[string]regie.Money
	// Hash is the journal entry's hash; the receipt prints it shortened.
	Hash string
	// VerifyURL is the portal's address that checks this receipt; the QR code
	// encodes it and it is printed in full under the code.
	VerifyURL string
	// Duplicate, when set, is the reprint's time: the receipt says DUPLICATA.
	Duplicate *time.Time
	// Cancelled, when set, is the payment's cancellation: the receipt says
	// ANNULÉ with the date and the reason. CancelledBy is the name of the
	// régisseur who approved it.
	Cancelled   *regie.Cancellation
	CancelledBy string
}

// ZReportData is the evening report (arrêté de caisse, ticket Z) of one day
// at one counter: the closing record and what only the store knows besides.
type ZReportData struct {
	Issuer
	Closing *regie.Closing
	// Agents maps agent ids to names, for the closing agent and the journal.
	Agents map[string]string
	// LastSeq and LastHash are the counter's last journal entry once the
	// closing is recorded: whoever holds the paper can check the chain.
	LastSeq  int64
	LastHash string
	// Payments and Cancellations, when given, are the day's journal, listed
	// after the totals (one line each). They may be left empty.
	Payments      []regie.Payment
	Cancellations []regie.Cancellation
	// ServerCounter tells that the counter lives on the server (a régie's
	// back-office or online counter, ARCHITECTURE rule 10): it holds no
	// cash, cheque or card, and its day closed by itself, so the report
	// leaves the billetage and the cash and card reconciliations out.
	ServerCounter bool
}

// CheckRemittanceData is a bordereau de remise de chèques: the cheques the
// régisseur hands to the bank or to the comptable, one line each.
type CheckRemittanceData struct {
	Issuer
	// Number is the bordereau's reference (the deposit's, usually).
	Number string
	Date   time.Time
	// Agent is the name of the régisseur who remits the cheques.
	Agent  string
	Checks []regie.CheckLine
	// Account is the régie's deposit account (compte de dépôt de fonds au
	// Trésor, or an IBAN), printed when set.
	Account string
}

// DepositSlipData is a bordereau (état) de versement: the cash, by
// denomination, and the cheques handed to the comptable public.
type DepositSlipData struct {
	Issuer
	Deposit *regie.Deposit
	// Agent is the name of the régisseur who hands the deposit over.
	Agent string
	// Recipient is the comptable public's office ("Service de gestion
	// comptable de Cholet"), printed when set.
	Recipient string
}

// MonthlyStatementData is the month's statement (état mensuel des
// encaissements), per mode and per day, built from the daily closings only:
// nothing is counted apart from what the days sealed.
type MonthlyStatementData struct {
	Issuer
	// Year and Month name the month; closings outside it are refused.
	Year  int
	Month time.Month
	// Closings are the month's daily closings, of one or several counters.
	Closings []regie.Closing
}
