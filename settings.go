package regie

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultCashLimit is the ceiling for a cash payment of a public debt
// (300 €), used when the régie's act sets no other.
const DefaultCashLimit Money = 300_00

// Role is what an agent may do at the régie, from the acte constitutif.
type Role string

// The roles. The titular régisseur and the suppléant answer for the till;
// a mandataire only cashes.
const (
	RoleRegisseur  Role = "regisseur"
	RoleSuppleant  Role = "suppleant"
	RoleMandataire Role = "mandataire"
)

// Label is the role's French name.
func (r Role) Label() string {
	switch r {
	case RoleRegisseur:
		return "Régisseur"
	case RoleSuppleant:
		return "Mandataire suppléant"
	case RoleMandataire:
		return "Mandataire"
	}
	return string(r)
}

// CanSupervise tells whether the role may cancel, accept a credit or close:
// the régisseur and, in his absence, the suppléant.
func (r Role) CanSupervise() bool {
	return r == RoleRegisseur || r == RoleSuppleant
}

// Regie holds the settings of one régie as its acte constitutif fixes them.
// They come from the server and are cached at each counter.
type Regie struct {
	Code              string        `json:"code"`
	Name              string        `json:"name"`
	Address           string        `json:"address,omitempty"`
	Modes             []PaymentMode `json:"modes"`
	CashCeiling       Money         `json:"cash_ceiling"`
	Float             Money         `json:"float"`
	DepositPeriodDays int           `json:"deposit_period_days"`
	CashLimit         Money         `json:"cash_limit"`
	PartialPayments   bool          `json:"partial_payments"`
	AnonymousSales    bool          `json:"anonymous_sales"`
	Timezone          string        `json:"timezone,omitempty"`
	// CancelReasons are the reasons the régie's agents pick from when
	// cancelling; empty means the default list (CancelReasons).
	CancelReasons []string `json:"cancel_reasons,omitempty"`
	// PayFiPClient is the régie's PayFiP client number (numcli, six
	// digits, given by the DGFiP): with the online mode allowed, the
	// portal offers to pay its invoices online (server/payfip).
	PayFiPClient string `json:"payfip_client,omitempty"`
	// BankAccounts are the IBANs (NormIBAN form) of the régie's accounts,
	// as the administrator declares them from the acte constitutif: only
	// their statements are imported for the régie, so that no one binds
	// another régie's account to theirs by importing it first.
	BankAccounts []string `json:"bank_accounts,omitempty"`
}

// Reasons is the régie's list of cancellation reasons: its own, or the
// default one.
func (r *Regie) Reasons() []string {
	if r == nil || len(r.CancelReasons) == 0 {
		return CancelReasons
	}
	return r.CancelReasons
}

// Limits of a régie's own list of cancellation reasons: a screen's select
// and a receipt's line hold them.
const (
	MaxCancelReasons   = 30
	MaxCancelReasonLen = 80
)

// Allows tells whether the régie's act allows mode.
func (r *Regie) Allows(m PaymentMode) bool {
	for _, x := range r.Modes {
		if x == m {
			return true
		}
	}
	return false
}

// EffectiveCashLimit is the per-payment cash limit, the legal default when
// the settings leave it at zero.
func (r *Regie) EffectiveCashLimit() Money {
	if r.CashLimit <= 0 {
		return DefaultCashLimit
	}
	return r.CashLimit
}

// CheckRegieCode is the rule on a régie's code, which receipt numbers
// carry: a form can flag its field with it before the whole Validate.
func CheckRegieCode(code string) error {
	if !validCode(code) {
		return Errorf(EInvalid, "Code de régie invalide : « %s » (lettres majuscules, chiffres, 2 à 12 caractères).", code)
	}
	return nil
}

// Validate refuses settings a counter could not work with.
func (r *Regie) Validate() error {
	if err := CheckRegieCode(r.Code); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(r.Name) == "":
		return Errorf(EInvalid, "Le nom de la régie est obligatoire.")
	case len(r.Modes) == 0:
		return Errorf(EInvalid, "La régie doit accepter au moins un mode de paiement.")
	case r.CashCeiling < 0 || r.Float < 0 || r.CashLimit < 0:
		return Errorf(EInvalid, "Les plafonds et le fonds de caisse ne peuvent pas être négatifs.")
	case r.DepositPeriodDays < 1 || r.DepositPeriodDays > 31:
		return Errorf(EInvalid, "La périodicité des versements doit être comprise entre 1 et 31 jours.")
	}
	for _, m := range r.Modes {
		if !m.Valid() {
			return Errorf(EInvalid, "Mode de paiement inconnu : « %s ».", m)
		}
	}
	if n := r.PayFiPClient; n != "" && (len(n) != 6 || strings.Trim(n, "0123456789") != "") {
		return Errorf(EInvalid, "Le numéro de client PayFiP compte six chiffres (« %.20s » donné).", n)
	}
	seen := map[string]bool{}
	for _, iban := range r.BankAccounts {
		if iban != NormIBAN(iban) || !ValidIBAN(iban) {
			return Errorf(EInvalid, "IBAN invalide : « %.40s » (vérifiez sa clé).", iban)
		}
		if seen[iban] {
			return Errorf(EInvalid, "Le compte %s est déclaré deux fois.", iban)
		}
		seen[iban] = true
	}
	return validReasons(r.CancelReasons)
}

// validReasons refuses a list of cancellation reasons an agent could not
// choose from: blank or repeated lines, too many or too long.
func validReasons(reasons []string) error {
	if len(reasons) > MaxCancelReasons {
		return Errorf(EInvalid, "Au plus %d motifs d'annulation.", MaxCancelReasons)
	}
	seen := map[string]bool{}
	for _, x := range reasons {
		switch {
		case blank(x) || x != strings.TrimSpace(x) || strings.IndexFunc(x, unicode.IsControl) >= 0:
			return Errorf(EInvalid, "Un motif d'annulation ne peut pas être vide ni commencer ou finir par une espace.")
		case utf8.RuneCountInString(x) > MaxCancelReasonLen || !utf8.ValidString(x):
			return Errorf(EInvalid, "Le motif « %.20s… » dépasse %d caractères.", x, MaxCancelReasonLen)
		case seen[x]:
			return Errorf(EInvalid, "Le motif d'annulation « %s » figure deux fois.", x)
		}
		seen[x] = true
	}
	return nil
}

// Counter is one cash desk of a régie; its code makes its receipt numbers
// unique across the régie.
type Counter struct {
	Code  string `json:"code"`
	Regie string `json:"regie"`
	Name  string `json:"name"`
}

// Agent is a person who may log in at a counter.
type Agent struct {
	ID      string `json:"id"`
	Login   string `json:"login"`
	Name    string `json:"name"`
	Role    Role   `json:"role"`
	PINHash string `json:"pin_hash,omitempty"`
	Active  bool   `json:"active"`
}

// validCode accepts the short upper-case codes used in receipt numbers.
func validCode(s string) bool {
	if len(s) < 2 || len(s) > 12 {
		return false
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
