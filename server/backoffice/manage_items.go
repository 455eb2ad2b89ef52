package backoffice

import (
	"net/http"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// itemForm is a tariff as typed, the price in French.
type itemForm struct {
	Regie                 *regie.Regie
	New                   bool
	Code, Label, Category string
	Price                 string
	Active                bool
	Errors                fieldErrors
}

func (b *Backoffice) itemForm(w http.ResponseWriter, v *visit, status int, f *itemForm) {
	title := "Nouveau tarif de la régie " + f.Regie.Code
	if !f.New {
		title = "Tarif " + f.Code
	}
	view := b.newView(v, title, "regies", f)
	view.Error = formMessage(f.Errors)
	b.render(w, status, "manage_item_form", view)
}

func (b *Backoffice) newItemPage(w http.ResponseWriter, r *http.Request, v *visit) {
	if reg := b.managedRegie(w, r, v); reg != nil {
		b.itemForm(w, v, http.StatusOK, &itemForm{Regie: reg, New: true, Active: true})
	}
}

func (b *Backoffice) itemPage(w http.ResponseWriter, r *http.Request, v *visit) {
	reg := b.managedRegie(w, r, v)
	if reg == nil {
		return
	}
	var it *regie.CatalogueItem
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) { it, err = tx.Item(reg.Code, r.PathValue("tarif")); return err })
	if err != nil {
		b.internal(w, r, v, "item", err)
		return
	}
	if it == nil {
		b.notFound(w, r)
		return
	}
	b.itemForm(w, v, http.StatusOK, &itemForm{Regie: reg, Code: it.Code, Label: it.Label, Category: it.Category,
		Price: moneyField(it.Price), Active: it.Active})
}

func (b *Backoffice) createItem(w http.ResponseWriter, r *http.Request, v *visit) {
	b.saveItem(w, r, v, true)
}

func (b *Backoffice) updateItem(w http.ResponseWriter, r *http.Request, v *visit) {
	b.saveItem(w, r, v, false)
}

// saveItem creates a tariff (its code not taken) or changes one (its code
// from the address), with the old and new values in the audit trail.
func (b *Backoffice) saveItem(w http.ResponseWriter, r *http.Request, v *visit, isNew bool) {
	reg := b.managedRegie(w, r, v)
	if reg == nil {
		return
	}
	r.ParseForm()
	pf := r.PostForm
	f := &itemForm{Regie: reg, New: isNew, Code: r.PathValue("tarif"), Label: strings.TrimSpace(pf.Get("label")),
		Category: strings.TrimSpace(pf.Get("category")), Price: pf.Get("price"), Active: pf.Get("active") == "1",
		Errors: fieldErrors{}}
	if isNew {
		f.Code = strings.TrimSpace(pf.Get("code"))
		if f.Code == "" {
			f.Errors.add("code", "Indiquez le code du tarif.")
		}
	}
	if f.Label == "" {
		f.Errors.add("label", "Indiquez le libellé du tarif.")
	}
	price, err := regie.ParseMoney(f.Price)
	if err != nil {
		f.Errors.add("price", regie.ErrorMessage(err))
	}
	if err := store.CheckItem(&regie.CatalogueItem{Code: f.Code, Label: f.Label, Category: f.Category, Price: price}); err != nil && f.Code != "" && f.Label != "" {
		msg, _ := domainMessage(err)
		f.Errors.add("", msg)
	}
	if len(f.Errors) > 0 {
		b.itemForm(w, v, http.StatusBadRequest, f)
		return
	}
	it := regie.CatalogueItem{Code: f.Code, Label: f.Label, Category: f.Category, Price: price, Active: f.Active}
	err = b.st.Update(r.Context(), func(tx *store.Tx) error {
		old, err := tx.Item(reg.Code, it.Code)
		if err != nil {
			return err
		}
		switch {
		case isNew && old != nil:
			return regie.Errorf(regie.EConflict, "Le tarif %s existe déjà dans la régie %s.", it.Code, reg.Code)
		case !isNew && old == nil:
			return regie.Errorf(regie.EItemNotFound, "Tarif inconnu : %s.", it.Code)
		}
		diff := changes(old, &it)
		if len(diff) == 0 {
			return nil
		}
		if err := tx.SaveItem(reg.Code, &it); err != nil {
			return err
		}
		action := "item.update"
		if isNew {
			action = "item.create"
		}
		return b.audit(tx, v, action, reg.Code, it.Code, diff)
	})
	if !b.formSaved(w, r, v, err, f.Errors, func() { b.itemForm(w, v, http.StatusBadRequest, f) }) {
		return
	}
	http.Redirect(w, r, Prefix+"/regies/"+reg.Code+"?ok=tarif", http.StatusSeeOther)
}
