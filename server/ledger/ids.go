package ledger

import "github.com/google/uuid"

// newID makes the id of what a server counter records by itself (a
// session, a closing): time-ordered like a desk's (app.newUUID).
func newID() string { return uuid.Must(uuid.NewV7()).String() }
