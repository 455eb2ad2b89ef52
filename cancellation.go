package regie

import (
	"slices"
	"time"
)

// CancelReasons are the default reasons an agent picks from when
// cancelling: a régie whose settings name none (every régie before the list
// became configurable) uses them. OtherReason needs a comment.
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

// OtherReason is the reason that says nothing by itself: whatever the
// régie's list, choosing it needs a comment.
const OtherReason = "Autre motif"

// Validate checks the reason: one of reasons (the régie's list in force,
// Regie.Reasons), with a comment for OtherReason.
func (c *Cancellation) Validate(reasons []string) error {
	if !slices.Contains(reasons, c.Reason) {
		return Errorf(EReasonRequired, "Choisissez le motif de l'annulation dans la liste.")
	}
	if c.Reason == OtherReason && blank(c.Comment) {
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
