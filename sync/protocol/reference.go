package protocol

import (
	"slices"

	"github.com/regie-fr/regie"
)

// Counter names a counter of a régie.
type Counter struct {
	Code  string `json:"code"`
	Regie string `json:"regie"`
	Name  string `json:"name"`
}

// Settings are a régie's settings on the wire; amounts in cents.
type Settings struct {
	Code              string   `json:"code"`
	Name              string   `json:"name"`
	Address           string   `json:"address,omitempty"`
	Modes             []string `json:"modes"`
	CashCeiling       int64    `json:"cash_ceiling"`
	Float             int64    `json:"float"`
	DepositPeriodDays int      `json:"deposit_period_days"`
	CashLimit         int64    `json:"cash_limit"`
	PartialPayments   bool     `json:"partial_payments"`
	AnonymousSales    bool     `json:"anonymous_sales"`
	Timezone          string   `json:"timezone,omitempty"`
	// CancelReasons is the régie's own list of cancellation reasons;
	// absent for the default list.
	CancelReasons []string `json:"cancel_reasons,omitempty"`
}

// Agent is a person who may log in at the régie's counters, with the bcrypt
// hash of their PIN: counters check PINs offline.
type Agent struct {
	ID      string `json:"id"`
	Login   string `json:"login"`
	Name    string `json:"name"`
	Role    string `json:"role"`
	PINHash string `json:"pin_hash"`
	Active  bool   `json:"active"`
}

// Item is a tariff of the régie's catalogue.
type Item struct {
	Code     string `json:"code"`
	Label    string `json:"label"`
	Category string `json:"category,omitempty"`
	Price    int64  `json:"price"`
	Active   bool   `json:"active"`
}

// Member is a person of a household.
type Member struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	BirthDate string `json:"birth_date,omitempty"`
	Holder    bool   `json:"holder,omitempty"`
}

// Household is a family account.
type Household struct {
	ID         string   `json:"id"`
	Account    string   `json:"account"`
	Name       string   `json:"name"`
	Address    string   `json:"address,omitempty"`
	Members    []Member `json:"members,omitempty"`
	AccessCode string   `json:"access_code,omitempty"`
}

// InvoiceLine is one service invoiced.
type InvoiceLine struct {
	Label       string `json:"label"`
	Beneficiary string `json:"beneficiary,omitempty"`
	Period      string `json:"period,omitempty"`
	Quantity    int    `json:"quantity"`
	UnitPrice   int64  `json:"unit_price"`
	Amount      int64  `json:"amount"`
}

// Invoice is a debt with what remains to pay on it as the server computed
// it: every counter's payments and cancellations it had received applied.
type Invoice struct {
	ID          string        `json:"id"`
	Number      string        `json:"number"`
	HouseholdID string        `json:"household_id"`
	Label       string        `json:"label"`
	Lines       []InvoiceLine `json:"lines,omitempty"`
	Amount      int64         `json:"amount"`
	Remaining   int64         `json:"remaining"`
	IssuedOn    string        `json:"issued_on,omitempty"`
	DueOn       string        `json:"due_on,omitempty"`
}

// PullResponse is one page of the reference data changed since the cursor
// the counter sent. Settings, Counter and Agents come together, only when
// one of them changed. AsOfSeq is the last entry of the asking counter the
// server had applied when it computed the invoices' remaining amounts.
// Cursor is what to send next; More says there is another page.
type PullResponse struct {
	Cursor     string      `json:"cursor"`
	More       bool        `json:"more"`
	Reset      bool        `json:"reset,omitempty"`
	AsOfSeq    int64       `json:"as_of_seq"`
	Counter    *Counter    `json:"counter,omitempty"`
	Settings   *Settings   `json:"settings,omitempty"`
	Agents     []Agent     `json:"agents,omitempty"`
	Items      []Item      `json:"items,omitempty"`
	Households []Household `json:"households,omitempty"`
	Invoices   []Invoice   `json:"invoices,omitempty"`
}

// CounterToWire and the functions below convert between the regie types and
// their wire form, field by field, so that a change on either side is a
// compile error here rather than a silent change of the format.
func CounterToWire(c regie.Counter) Counter {
	return Counter{Code: c.Code, Regie: c.Regie, Name: c.Name}
}

// ToRegie converts a counter.
func (c Counter) ToRegie() regie.Counter {
	return regie.Counter{Code: c.Code, Regie: c.Regie, Name: c.Name}
}

// SettingsToWire converts a régie's settings.
func SettingsToWire(r regie.Regie) Settings {
	s := Settings{Code: r.Code, Name: r.Name, Address: r.Address, CashCeiling: int64(r.CashCeiling),
		Float: int64(r.Float), DepositPeriodDays: r.DepositPeriodDays, CashLimit: int64(r.CashLimit),
		PartialPayments: r.PartialPayments, AnonymousSales: r.AnonymousSales, Timezone: r.Timezone,
		Modes: make([]string, len(r.Modes)), CancelReasons: slices.Clone(r.CancelReasons)}
	for i, m := range r.Modes {
		s.Modes[i] = string(m)
	}
	return s
}

// ToRegie converts settings back.
func (s Settings) ToRegie() regie.Regie {
	r := regie.Regie{Code: s.Code, Name: s.Name, Address: s.Address, CashCeiling: regie.Money(s.CashCeiling),
		Float: regie.Money(s.Float), DepositPeriodDays: s.DepositPeriodDays, CashLimit: regie.Money(s.CashLimit),
		PartialPayments: s.PartialPayments, AnonymousSales: s.AnonymousSales, Timezone: s.Timezone,
		Modes: make([]regie.PaymentMode, len(s.Modes)), CancelReasons: slices.Clone(s.CancelReasons)}
	for i, m := range s.Modes {
		r.Modes[i] = regie.PaymentMode(m)
	}
	return r
}

// AgentToWire converts an agent, PIN hash included.
func AgentToWire(a regie.Agent) Agent {
	return Agent{ID: a.ID, Login: a.Login, Name: a.Name, Role: string(a.Role), PINHash: a.PINHash, Active: a.Active}
}

// ToRegie converts an agent back.
func (a Agent) ToRegie() regie.Agent {
	return regie.Agent{ID: a.ID, Login: a.Login, Name: a.Name, Role: regie.Role(a.Role), PINHash: a.PINHash, Active: a.Active}
}

// ItemToWire converts a catalogue item.
func ItemToWire(it regie.CatalogueItem) Item {
	return Item{Code: it.Code, Label: it.Label, Category: it.Category, Price: int64(it.Price), Active: it.Active}
}

// ToRegie converts an item back.
func (it Item) ToRegie() regie.CatalogueItem {
	return regie.CatalogueItem{Code: it.Code, Label: it.Label, Category: it.Category, Price: regie.Money(it.Price), Active: it.Active}
}

// HouseholdToWire converts a household with its members.
func HouseholdToWire(h regie.Household) Household {
	w := Household{ID: h.ID, Account: h.Account, Name: h.Name, Address: h.Address, AccessCode: h.AccessCode}
	for _, m := range h.Members {
		w.Members = append(w.Members, Member{FirstName: m.FirstName, LastName: m.LastName, BirthDate: m.BirthDate, Holder: m.Holder})
	}
	return w
}

// ToRegie converts a household back.
func (w Household) ToRegie() regie.Household {
	h := regie.Household{ID: w.ID, Account: w.Account, Name: w.Name, Address: w.Address, AccessCode: w.AccessCode}
	for _, m := range w.Members {
		h.Members = append(h.Members, regie.Member{FirstName: m.FirstName, LastName: m.LastName, BirthDate: m.BirthDate, Holder: m.Holder})
	}
	return h
}

// InvoiceToWire converts an invoice with its lines.
func InvoiceToWire(inv regie.Invoice) Invoice {
	w := Invoice{ID: inv.ID, Number: inv.Number, HouseholdID: inv.HouseholdID, Label: inv.Label,
		Amount: int64(inv.Amount), Remaining: int64(inv.Remaining), IssuedOn: inv.IssuedOn, DueOn: inv.DueOn}
	for _, l := range inv.Lines {
		w.Lines = append(w.Lines, InvoiceLine{Label: l.Label, Beneficiary: l.Beneficiary, Period: l.Period,
			Quantity: l.Quantity, UnitPrice: int64(l.UnitPrice), Amount: int64(l.Amount)})
	}
	return w
}

// ToRegie converts an invoice back.
func (w Invoice) ToRegie() regie.Invoice {
	inv := regie.Invoice{ID: w.ID, Number: w.Number, HouseholdID: w.HouseholdID, Label: w.Label,
		Amount: regie.Money(w.Amount), Remaining: regie.Money(w.Remaining), IssuedOn: w.IssuedOn, DueOn: w.DueOn}
	for _, l := range w.Lines {
		inv.Lines = append(inv.Lines, regie.InvoiceLine{Label: l.Label, Beneficiary: l.Beneficiary, Period: l.Period,
			Quantity: l.Quantity, UnitPrice: regie.Money(l.UnitPrice), Amount: regie.Money(l.Amount)})
	}
	return inv
}
