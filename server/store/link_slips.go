package store

import (
	"time"
	"unicode/utf8"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/credential"
)

// SlipValidity is how long a linking slip links.
const SlipValidity = 30 * 24 * time.Hour

// SlipRequest asks for a household's one-time linking slip: an agent of a
// counter (CounterID, Agent) or the régisseur's command (CounterID 0)
// checked an identity document (Document).
type SlipRequest struct {
	ID          string // chosen by the asker; a retry with the same id gets the same slip
	HouseholdID string // or Account
	Account     string
	// Org is the organisation the household must be of ("": the
	// server's only one): a counter of one city never prints a slip for,
	// nor learns the name of, another's household.
	Org       string
	CounterID int64
	Agent     string
	Document  string
	At        time.Time
}

// LinkSlip is a slip as printed: Code is only ever returned here.
type LinkSlip struct {
	ID            string
	HouseholdID   string
	Account       string
	HouseholdName string
	Code          string
	CreatedAt     time.Time
	ExpiresAt     time.Time
}

// CreateLinkSlip makes a slip, or gives back the one made earlier with the
// same id for the same household and asker (regie.EConflict when the id was
// used for another). The code is derived from the server's slip key and the
// id, so the retry's code is the same while only its hash is stored.
func (t *Tx) CreateLinkSlip(req SlipRequest) (*LinkSlip, error) {
	switch {
	case req.ID == "" || len(req.ID) > 64:
		return nil, regie.Errorf(regie.EInvalid, "Identifiant de demande manquant ou trop long.")
	case !utf8.ValidString(req.Document) || len(req.Document) > 200 || len(req.Agent) > 64:
		return nil, regie.Errorf(regie.EInvalid, "Pièce d'identité ou agent invalide.")
	case req.Document == "":
		return nil, regie.Errorf(regie.EInvalid, "Indiquez la pièce d'identité vérifiée (carte d'identité, passeport…).")
	}
	org, err := t.orgOr(req.Org)
	if err != nil {
		return nil, err
	}
	s := &LinkSlip{ID: req.ID}
	err = t.queryRow(`SELECT id, account, name FROM households WHERE org = ? AND (id = ? OR (? = '' AND account = ?))`,
		org, req.HouseholdID, req.HouseholdID, req.Account).Scan(&s.HouseholdID, &s.Account, &s.HouseholdName)
	if notFound(err) {
		return nil, regie.Errorf(regie.EHouseholdNotFound, "Foyer inconnu du serveur : synchronisez le poste ou vérifiez le compte.")
	} else if err != nil {
		return nil, wrap("link slip", err)
	}
	key, err := t.Key("link-slip", 32)
	if err != nil {
		return nil, err
	}
	s.Code = credential.SlipCode(key, req.ID)
	var counter any
	if req.CounterID != 0 {
		counter = req.CounterID
	}
	var prevHousehold, created, expires string
	var prevCounter *int64
	err = t.queryRow(`SELECT household_id, counter_id, created_at, expires_at FROM portal_link_slips WHERE id = ?`, req.ID).
		Scan(&prevHousehold, &prevCounter, &created, &expires)
	switch {
	case err == nil:
		if prevHousehold != s.HouseholdID || (prevCounter == nil) != (req.CounterID == 0) ||
			prevCounter != nil && *prevCounter != req.CounterID {
			return nil, regie.Errorf(regie.EConflict, "Cet identifiant de demande a déjà servi pour un autre bon de rattachement.")
		}
		s.CreatedAt, s.ExpiresAt = parseDBTime(created), parseDBTime(expires)
		return s, nil
	case !notFound(err):
		return nil, wrap("link slip", err)
	}
	// As stored, so that a retry answers the very same times.
	s.CreatedAt, s.ExpiresAt = parseDBTime(dbTime(req.At)), parseDBTime(dbTime(req.At.Add(SlipValidity)))
	err = t.exec(`INSERT INTO portal_link_slips (id, household_id, code_hash, counter_id, agent, document, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, req.ID, s.HouseholdID, credential.HashEnrolCode(s.Code), counter, req.Agent,
		req.Document, dbTime(s.CreatedAt), dbTime(s.ExpiresAt))
	return s, wrap("link slip", err)
}
