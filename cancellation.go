package regie

import "time"

// CancelReasons are the reasons an agent picks from when cancelling; the
// last one needs a comment.
var CancelReasons = []string{
	"Erreur de saisie du montant",
	"Erreur de mode de paiement",
	"Erreur de foyer ou de facture",
	"Chèque refusé ou incomplet",
	"Paiement carte non abouti",
	"Demande de l'usager",
	"Autre motif",
}

// Cancellation annuls a payment of the same day. It is a new journal entry
// pointing to the payment: the payment itself is never changed.
type Cancellation struct {
	ID         string    `json:"id"`
	PaymentID  string    `json:"payment_id"`
	Receipt    string    `json:"receipt"`
	Reason     string    `json:"reason"`
	Comment    string    `json:"comment,omitempty"`
	Agent      string    `json:"agent"`
	ApprovedBy string    `json:"approved_by"`
	At         time.Time `json:"at"`
	Day        string    `json:"day"`
	// Refunds are the payment's tenders, handed back: they are subtracted
	// from the day's totals per mode.
	Refunds []Tender `json:"refunds"`
}

// Validate checks the reason: from the list, with a comment for "Autre motif".
func (c *Cancellation) Validate() error {
	known := false
	for _, r := range CancelReasons {
		known = known || r == c.Reason
	}
	if !known {
		return Errorf(EReasonRequired, "Choisissez le motif de l'annulation dans la liste.")
	}
	if c.Reason == CancelReasons[len(CancelReasons)-1] && blank(c.Comment) {
		return Errorf(ECommentRequired, "Précisez le motif de l'annulation dans le commentaire.")
	}
	return nil
}

// Reprint records that a receipt was printed again (DUPLICATA), so the
// régisseur can see how often and by whom.
type Reprint struct {
	ID        string    `json:"id"`
	PaymentID string    `json:"payment_id"`
	Receipt   string    `json:"receipt"`
	Agent     string    `json:"agent"`
	At        time.Time `json:"at"`
}

// Login records an agent's login attempt at the counter; failed attempts
// are what the lock-out counts.
type Login struct {
	ID      string    `json:"id"`
	Agent   string    `json:"agent"`
	Success bool      `json:"success"`
	At      time.Time `json:"at"`
}

// SettingsChange records the régie settings a counter started to apply.
type SettingsChange struct {
	ID       string    `json:"id"`
	Settings Regie     `json:"settings"`
	Agents   []Agent   `json:"agents,omitempty"`
	At       time.Time `json:"at"`
}
