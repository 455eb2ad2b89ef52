package backoffice

import (
	"net/http"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/store"
)

// counterStates are a counter's states as people name them.
var counterStates = map[string]string{"pending": "en attente d'enrôlement", "enrolled": "enrôlé", "revoked": "révoqué"}

// counterRow is a counter on the régie's page, its state in French.
type counterRow struct {
	store.CounterState
	StateLabel string
}

// counterForm is a new counter as typed.
type counterForm struct {
	Regie      *regie.Regie
	Code, Name string
	Errors     fieldErrors
}

// enrolResult is the page that shows an enrolment code, the only time it
// is ever shown: the server keeps its hash alone, and the audit trail
// records that a code was made, never the code.
type enrolResult struct {
	Regie   *regie.Regie
	Counter string
	Code    string
	Expires time.Time
	New     bool
}

func (b *Backoffice) newCounterPage(w http.ResponseWriter, r *http.Request, v *visit) {
	if reg := b.managedRegie(w, r, v); reg != nil {
		b.counterForm(w, v, http.StatusOK, &counterForm{Regie: reg})
	}
}

func (b *Backoffice) counterForm(w http.ResponseWriter, v *visit, status int, f *counterForm) {
	view := b.newView(v, "Nouveau poste de la régie "+f.Regie.Code, "regies", f)
	view.Error = formMessage(f.Errors)
	b.render(w, status, "manage_counter_form", view)
}

// createCounter adds a counter and shows its enrolment code once.
func (b *Backoffice) createCounter(w http.ResponseWriter, r *http.Request, v *visit) {
	reg := b.managedRegie(w, r, v)
	if reg == nil {
		return
	}
	r.ParseForm()
	f := &counterForm{Regie: reg, Code: strings.TrimSpace(r.PostForm.Get("code")), Name: strings.TrimSpace(r.PostForm.Get("name")),
		Errors: fieldErrors{}}
	if f.Code == "" {
		f.Errors.add("code", "Indiquez le code du poste (lettres majuscules et chiffres, 2 à 12).")
	}
	if f.Name == "" {
		f.Errors.add("name", "Indiquez le nom du poste.")
	}
	if len(f.Errors) > 0 {
		b.counterForm(w, v, http.StatusBadRequest, f)
		return
	}
	now := b.cfg.Now()
	code := credential.NewEnrolCode()
	expires := now.Add(store.EnrolValidity)
	err := b.st.Update(r.Context(), func(tx *store.Tx) error {
		c := regie.Counter{Code: f.Code, Regie: reg.Code, Name: f.Name}
		if _, err := tx.CreateCounter(c, credential.HashEnrolCode(code), expires, now); err != nil {
			return err
		}
		return b.audit(tx, v, "counter.create", reg.Code, f.Code,
			map[string]any{"nom": f.Name, "code_valable_jusqu_au": expires.UTC().Format(time.RFC3339)})
	})
	if !b.formSaved(w, r, v, err, f.Errors, func() { b.counterForm(w, v, http.StatusBadRequest, f) }) {
		return
	}
	b.showEnrolCode(w, v, &enrolResult{Regie: reg, Counter: f.Code, Code: code, Expires: expires, New: true})
}

// newEnrolCode gives a counter a fresh enrolment code (a reinstalled
// machine), shown once.
func (b *Backoffice) newEnrolCode(w http.ResponseWriter, r *http.Request, v *visit) {
	reg := b.managedRegie(w, r, v)
	if reg == nil {
		return
	}
	counter := r.PathValue("poste")
	now := b.cfg.Now()
	code := credential.NewEnrolCode()
	expires := now.Add(store.EnrolValidity)
	err := b.st.Update(r.Context(), func(tx *store.Tx) error {
		if err := tx.NewEnrolCode(reg.Code, counter, credential.HashEnrolCode(code), expires); err != nil {
			return err
		}
		return b.audit(tx, v, "counter.code", reg.Code, counter,
			map[string]any{"code_valable_jusqu_au": expires.UTC().Format(time.RFC3339)})
	})
	if err != nil {
		b.storeFailure(w, r, v, "new enrol code", err)
		return
	}
	b.showEnrolCode(w, v, &enrolResult{Regie: reg, Counter: counter, Code: code, Expires: expires})
}

// showEnrolCode answers with the code; the page must not be kept by any
// cache, since the code is a secret until used.
func (b *Backoffice) showEnrolCode(w http.ResponseWriter, v *visit, res *enrolResult) {
	w.Header().Set("Cache-Control", "no-store")
	b.render(w, http.StatusOK, "manage_counter_code", b.newView(v, "Code d'enrôlement du poste "+res.Counter, "regies", res))
}

// revokeCounterPage asks to confirm a revocation, which cannot be undone.
func (b *Backoffice) revokeCounterPage(w http.ResponseWriter, r *http.Request, v *visit) {
	reg := b.managedRegie(w, r, v)
	if reg == nil {
		return
	}
	var c *store.Counter
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) { c, err = tx.CounterByCode(reg.Code, r.PathValue("poste")); return err })
	if err != nil {
		b.internal(w, r, v, "counter", err)
		return
	}
	if c == nil {
		b.notFound(w, r)
		return
	}
	b.render(w, http.StatusOK, "manage_counter_revoke", b.newView(v, "Révoquer le poste "+c.Code, "regies",
		struct {
			Regie   *regie.Regie
			Counter *store.Counter
		}{reg, c}))
}

// revokeCounter refuses the counter's credential for good; the form must
// carry the confirmation box.
func (b *Backoffice) revokeCounter(w http.ResponseWriter, r *http.Request, v *visit) {
	reg := b.managedRegie(w, r, v)
	if reg == nil {
		return
	}
	counter := r.PathValue("poste")
	if r.PostFormValue("confirm") != "1" {
		b.fail(w, r, v, http.StatusBadRequest, "Confirmation attendue",
			"Cochez la case de confirmation pour révoquer le poste : la révocation est définitive.")
		return
	}
	err := b.st.Update(r.Context(), func(tx *store.Tx) error {
		c, err := tx.CounterByCode(reg.Code, counter)
		if err != nil {
			return err
		} else if c == nil {
			return regie.Errorf(regie.ENotFound, "Poste inconnu : %s de la régie %s.", counter, reg.Code)
		} else if c.Revoked {
			return regie.Errorf(regie.EConflict, "Le poste %s est déjà révoqué.", counter)
		}
		if err := tx.RevokeCounter(reg.Code, counter, b.cfg.Now()); err != nil {
			return err
		}
		before := counterStates["pending"]
		if c.Enrolled {
			before = counterStates["enrolled"]
		}
		return b.audit(tx, v, "counter.revoke", reg.Code, counter, map[string]any{"nom": c.Name,
			"état": map[string]any{"avant": before, "après": counterStates["revoked"]}})
	})
	if err != nil {
		b.storeFailure(w, r, v, "revoke counter", err)
		return
	}
	http.Redirect(w, r, Prefix+"/regies/"+reg.Code+"?ok=revoke", http.StatusSeeOther)
}
