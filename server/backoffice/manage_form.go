package backoffice

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// fieldErrors are a form's French messages by field name: the whole form
// is checked before anything is written, and every fault is shown beside
// its field with what was typed kept.
type fieldErrors map[string]string

func (e fieldErrors) add(field, msg string) {
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

// formError is the message shown above a refused form.
const formError = "Le formulaire contient des erreurs : corrigez les champs signalés puis validez à nouveau."

// formMessage is the message above a refused form: the general one (a
// rule of the store or the domain) and, when fields are flagged too, the
// invitation to correct them.
func formMessage(errs fieldErrors) string {
	general, fields := errs[""], len(errs)
	if general != "" {
		fields--
	}
	switch {
	case general != "" && fields > 0:
		return general + " " + formError
	case general != "":
		return general
	case fields > 0:
		return formError
	}
	return ""
}

// domainMessage is the French message of a domain error (the store's
// validation, shared with the command line), false for any other error.
func domainMessage(err error) (string, bool) {
	var re *regie.Error
	if errors.As(err, &re) {
		return re.Message, true
	}
	return "", false
}

// managedRegie is the régie named by the address ({regie}) when the
// visitor administers it; otherwise it answers 404 (an unknown régie and
// one outside the visitor's grants cannot be told apart) and returns nil.
func (b *Backoffice) managedRegie(w http.ResponseWriter, r *http.Request, v *visit) *regie.Regie {
	code := r.PathValue("regie")
	if !v.Can(PermAdmin, code) {
		b.notFound(w, r)
		return nil
	}
	var reg *regie.Regie
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) { reg, err = tx.Regie(code); return err })
	if err != nil {
		b.internal(w, r, v, "managed regie", err)
		return nil
	}
	if reg == nil {
		b.notFound(w, r)
	}
	return reg
}

// secretKeys are never written to the audit trail, whatever changed.
var secretKeys = map[string]bool{"pin_hash": true, "password_hash": true, "enrol_hash": true, "code_enrolement": true}

// changes says what changed between two versions of a record, field by
// field ({"name": {"avant": …, "après": …}}), from their JSON forms: every
// field is compared, including fields added later, and secrets are left
// out. old nil is a creation: every field is given with no "avant".
func changes(old, new any) map[string]any {
	before, after := jsonFields(old), jsonFields(new)
	out := map[string]any{}
	for k, a := range after {
		if secretKeys[k] {
			continue
		}
		if isNil(old) {
			out[k] = map[string]any{"après": a}
			continue
		}
		if bv, ok := before[k]; !ok || !reflect.DeepEqual(bv, a) {
			out[k] = map[string]any{"avant": bv, "après": a}
		}
	}
	for k, bv := range before {
		if _, ok := after[k]; !ok && !secretKeys[k] {
			out[k] = map[string]any{"avant": bv, "après": nil}
		}
	}
	return out
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

func jsonFields(v any) map[string]any {
	out := map[string]any{}
	if isNil(v) {
		return out
	}
	data, err := json.Marshal(v)
	if err != nil {
		return out
	}
	json.Unmarshal(data, &out)
	return out
}

// lines splits a textarea into its non-blank lines, trimmed.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
