package regie

import "time"

// Household is a family account (foyer) of the city's business software:
// invoices are addressed to it and citizens link their identity to it.
type Household struct {
	ID         string   `json:"id"`
	Account    string   `json:"account"`
	Name       string   `json:"name"`
	Address    string   `json:"address,omitempty"`
	Members    []Member `json:"members,omitempty"`
	AccessCode string   `json:"access_code,omitempty"`
}

// Member is a person of a household, adult or child, for whom services are
// invoiced.
type Member struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	BirthDate string `json:"birth_date,omitempty"` // YYYY-MM-DD
	Holder    bool   `json:"holder,omitempty"`
}

// Invoice is a debt of a household to the city. Remaining is what is still
// due as the server last knew it.
type Invoice struct {
	ID          string        `json:"id"`
	Number      string        `json:"number"`
	HouseholdID string        `json:"household_id"`
	Label       string        `json:"label"`
	Lines       []InvoiceLine `json:"lines,omitempty"`
	Amount      Money         `json:"amount"`
	Remaining   Money         `json:"remaining"`
	IssuedOn    string        `json:"issued_on,omitempty"` // YYYY-MM-DD
	DueOn       string        `json:"due_on,omitempty"`    // YYYY-MM-DD
}

// InvoiceLine is one service invoiced: what, for whom, when.
type InvoiceLine struct {
	Label       string `json:"label"`
	Beneficiary string `json:"beneficiary,omitempty"`
	Period      string `json:"period,omitempty"`
	Quantity    int    `json:"quantity"`
	UnitPrice   Money  `json:"unit_price"`
	Amount      Money  `json:"amount"`
}

// Overdue tells whether the invoice is past its due date on day (YYYY-MM-DD).
func (i *Invoice) Overdue(day string) bool {
	return i.DueOn != "" && i.Remaining > 0 && i.DueOn < day
}

// CatalogueItem is a tariff sold at the counter without an invoice (a
// swimming-pool ticket, a photocopy).
type CatalogueItem struct {
	Code     string `json:"code"`
	Label    string `json:"label"`
	Category string `json:"category,omitempty"`
	Price    Money  `json:"price"`
	Active   bool   `json:"active"`
}

// DayOf gives the local calendar day (YYYY-MM-DD) of t in loc: a régie's day
// is its city's day, not UTC's.
func DayOf(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.DateOnly)
}
