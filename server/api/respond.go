package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/regie-fr/regie/sync/protocol"
)

// writeJSON answers v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeError answers a refusal.
func writeError(w http.ResponseWriter, status int, body protocol.ErrorBody) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="regie"`)
	}
	writeJSON(w, status, body)
}

func internalError(w http.ResponseWriter) {
	writeError(w, http.StatusInternalServerError, protocol.ErrorBody{Code: protocol.CodeInternal,
		Message: "Erreur interne du serveur : rien n'a été enregistré, la caisse réessaiera."})
}

// decode reads a JSON body of at most limit bytes into v: 413 when it is
// larger, 400 when it is not one JSON value of the expected shape. It
// answers the refusal itself and reports whether to go on.
func decode(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	if r.ContentLength > limit {
		tooLarge(w, limit)
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	err := dec.Decode(v)
	if err == nil {
		if _, e := dec.Token(); !errors.Is(e, io.EOF) {
			err = errors.New("data after the JSON value")
		}
	}
	if err == nil {
		return true
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		tooLarge(w, limit)
		return false
	}
	msg := "Requête illisible : le corps n'est pas un JSON valide."
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		msg = fmt.Sprintf("Requête illisible : le champ « %s » n'a pas le bon type.", te.Field)
	}
	writeError(w, http.StatusBadRequest, protocol.ErrorBody{Code: protocol.CodeMalformed, Message: msg})
	return false
}

func tooLarge(w http.ResponseWriter, limit int64) {
	writeError(w, http.StatusRequestEntityTooLarge, protocol.ErrorBody{Code: protocol.CodeTooLarge,
		Message: fmt.Sprintf("Requête trop volumineuse (plus de %d Mo) : envoyez le journal en lots plus petits.", limit>>20)})
}
