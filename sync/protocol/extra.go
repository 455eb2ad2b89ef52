package protocol

import "time"

// Endpoints added to v1 after its first release. Like every field of this
// package they are only ever added: a server without them answers 404 and
// the counter says the server must be updated.
const (
	// PathLinkSlips is where a counter asks for a one-time linking slip for
	// a household, after its agent has checked an identity document: the
	// citizen types the slip's code on the portal to link the household when
	// the FranceConnect identity does not match an adult of the household.
	PathLinkSlips = Prefix + "/link-slips"
	// PathJournal is where a counter reads back the hashes of its own
	// journal as the server holds them (verify --server).
	PathJournal = Prefix + "/journal"
)

// LinkSlipRequest asks for a slip. Agent is the id of the agent who checked
// the identity document; Document says which one ("carte d'identité",
// "passeport"…), kept for the régisseur, never printed.
type LinkSlipRequest struct {
	ID          string `json:"id"` // a UUID made by the counter: a retry gets the same slip
	HouseholdID string `json:"household_id"`
	Agent       string `json:"agent"`
	Document    string `json:"document"`
}

// LinkSlip is the slip the counter prints. Code is shown only on this
// answer; the server keeps a hash of it. It links once, before ExpiresAt
// (30 days after it was made).
type LinkSlip struct {
	ID            string    `json:"id"`
	HouseholdID   string    `json:"household_id"`
	Account       string    `json:"account"`
	HouseholdName string    `json:"household_name"`
	Code          string    `json:"code"`
	ExpiresAt     time.Time `json:"expires_at"`
}

// JournalHead is one entry of a counter's journal as the server holds it.
type JournalHead struct {
	Seq  int64  `json:"seq"`
	ID   string `json:"id"`
	Hash string `json:"hash"`
}

// JournalPage answers GET PathJournal?after=SEQ&limit=N: the entries after
// SEQ in order, and LastSeq, the last one the server holds of this counter.
type JournalPage struct {
	Entries []JournalHead `json:"entries"`
	LastSeq int64         `json:"last_seq"`
}
