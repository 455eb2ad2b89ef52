package publik

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/regie-fr/regie"
)

// envelope is every answer's shape, as lingo's API answers: err 0 with
// data, or err 1 with a French err_desc.
type envelope struct {
	Err     int    `json:"err"`
	Data    any    `json:"data,omitempty"`
	ErrDesc string `json:"err_desc,omitempty"`
}

// ok answers data.
func ok(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, envelope{Data: data})
}

// fail answers a refusal.
func fail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, envelope{Err: 1, ErrDesc: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// failErr answers a store or domain error: a *regie.Error with the status
// of its class and its French message, anything else as internal.
func (a *API) failErr(w http.ResponseWriter, what string, err error) {
	code := regie.ErrorCodeOf(err)
	status := http.StatusBadRequest
	switch regie.ClassOf(code) {
	case regie.ClassNotFound:
		status = http.StatusNotFound
	case regie.ClassConflict, regie.ClassClosed:
		status = http.StatusConflict
	case regie.ClassForbidden:
		status = http.StatusForbidden
	case regie.ClassInternal:
		a.internal(w, what, err)
		return
	}
	if code == regie.ELockedOut {
		status = http.StatusTooManyRequests
	}
	fail(w, status, regie.ErrorMessage(err))
}

// internal answers a failure of the server itself, logged in English.
func (a *API) internal(w http.ResponseWriter, what string, err error) {
	a.log.Error("publik: "+what, "err", err)
	fail(w, http.StatusInternalServerError, "Erreur interne du serveur : rien n'a été enregistré.")
}

// amount is a sum in cents written as Publik's lingo writes amounts: a JSON
// number in euros with two decimals ("61.60"), made from the integer
// cents, never through a float.
type amount regie.Money

// MarshalJSON writes the amount as a decimal number.
func (m amount) MarshalJSON() ([]byte, error) {
	c := int64(m)
	var b []byte
	if c < 0 {
		b = append(b, '-')
	}
	u := uint64(c)
	if c < 0 {
		u = -u
	}
	b = strconv.AppendUint(b, u/100, 10)
	b = append(b, '.', byte('0'+u%100/10), byte('0'+u%10))
	return b, nil
}
