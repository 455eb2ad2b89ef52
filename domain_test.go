package regie

import (
	"testing"
	"time"
)

const (
	vecRegisseur  = "0195a3c0-0a00-7000-8000-00000000a001"
	vecMandataire = "0195a3c0-0a00-7000-8000-00000000a002"
	vecSession    = "0195a3c0-2c4e-7000-8000-000000000002"
	vecPayment    = "0195a3c0-9e08-7000-8000-000000000003"
)

func vecTime(h, m, s, ms int) time.Time {
	return time.Date(2025, 3, 14, h, m, s, ms*int(time.Millisecond), time.UTC)
}

func vecRegie() Regie {
	return Regie{Code: "ENF", Name: "Régie Enfance & Périscolaire", Address: "Hôtel de ville, 1 place de l'Église",
		Modes: []PaymentMode{Cash, Check, Card}, CashCeiling: 2000_00, Float: 150_00, DepositPeriodDays: 30,
		CashLimit: 300_00, PartialPayments: true, Timezone: "Europe/Paris"}
}

func vecPaymentObj() Payment {
	return Payment{ID: vecPayment, Receipt: ReceiptNumber("ENF", "C01", 2025, 42), Regie: "ENF", Counter: "C01",
		SessionID: vecSession, Agent: vecMandataire, At: vecTime(9, 41, 27, 120), Day: "2025-03-14",
		HouseholdID: "0195a3c0-0b00-7000-8000-0000000f0417", Account: "F-004217", Payer: "Hélène N'Diaye-Müller",
		Tenders: []Tender{
			{Mode: Cash, Amount: 40_00, Tendered: 50_00, Change: 10_00},
			{Mode: Check, Amount: 45_50, CheckNumber: "0001234", Bank: "Crédit Agricole Loire Haute-Loire",
				Drawer: "Hélène N'Diaye-Müller"},
		},
		Allocations: []Allocation{
			{InvoiceID: "0195a3c0-0c00-7000-8000-000000000312", InvoiceNumber: "FAC-2025-0312",
				Label: "Cantine & garderie février 2025 — Léa", Amount: 52_30},
			{InvoiceID: "0195a3c0-0c00-7000-8000-000000000313", InvoiceNumber: "FAC-2025-0313",
				Label: "Accueil périscolaire février 2025 — Léo", Amount: 33_20},
		},
		Total: 85_50}
}

type vectorSpec struct {
	kind      EntryKind
	id, agent string
	at        time.Time
	obj       any
}

// vectorSpecs are the objects behind testdata/journal_vectors.json: a
// settings change, a session opening, a split payment and its cancellation.
func vectorSpecs() []vectorSpec {
	settingsAt, openAt, payAt, cancelAt := vecTime(7, 58, 3, 0), vecTime(8, 2, 11, 250), vecTime(9, 41, 27, 120), vecTime(10, 5, 0, 7)
	p := vecPaymentObj()
	return []vectorSpec{
		{KindSettings, "0195a3c0-1f00-7000-8000-000000000001", "", settingsAt, SettingsChange{
			ID: "0195a3c0-1f00-7000-8000-000000000001", Settings: vecRegie(), At: settingsAt,
			Agents: []Agent{
				{ID: vecRegisseur, Login: "mdupont", Name: "Marie Dupont", Role: RoleRegisseur, Active: true},
				{ID: vecMandataire, Login: "lbenard", Name: "Loïc Bénard", Role: RoleMandataire, Active: true},
			}}},
		{KindSessionOpen, vecSession, vecMandataire, openAt, TillSession{ID: vecSession, Counter: "C01",
			Agent: vecMandataire, OpenedAt: openAt, Day: "2025-03-14", Float: 150_00,
			Count: CashCount{{20_00, 5}, {10_00, 3}, {2_00, 10}}}},
		{KindPayment, vecPayment, vecMandataire, payAt, p},
		{KindCancellation, "0195a3c0-b1c4-7000-8000-000000000004", vecMandataire, cancelAt, Cancellation{
			ID: "0195a3c0-b1c4-7000-8000-000000000004", PaymentID: vecPayment, Receipt: p.Receipt,
			Reason:  "Autre motif",
			Comment: "Chèque signé \"H. N'Diaye\" au lieu du tireur\\titulaire.\nL'usagère repassera.",
			Agent:   vecMandataire, ApprovedBy: vecRegisseur, At: cancelAt, Day: "2025-03-14", Refunds: p.Tenders}},
	}
}

func TestReceiptNumber(t *testing.T) {
	good := []struct {
		regie, counter string
		year, n        int
		want           string
	}{
		{"ENF", "C01", 2025, 42, "R-ENF-C01-2025-000042"},
		{"EAU", "G2", 2024, 1, "R-EAU-G2-2024-000001"},
		{"CRECHE12", "ACCUEIL", 2026, 999999, "R-CRECHE12-ACCUEIL-2026-999999"},
		{"AB", "CD", 2025, 1234567, "R-AB-CD-2025-1234567"},
	}
	for _, tt := range good {
		t.Run(tt.want, func(t *testing.T) {
			s := ReceiptNumber(tt.regie, tt.counter, tt.year, tt.n)
			if s != tt.want {
				t.Fatalf("ReceiptNumber = %q", s)
			}
			r, c, y, n, err := ParseReceiptNumber(s)
			if err != nil || r != tt.regie || c != tt.counter || y != tt.year || n != tt.n {
				t.Errorf("Parse = %q %q %d %d %v", r, c, y, n, err)
			}
		})
	}
	for _, bad := range []string{"", "R-ENF-C01-2025", "Q-ENF-C01-2025-000042", "R-enf-C01-2025-000042",
		"R-ENF-C-2025-000042", "R-ENF-C01-25-000042", "R-ENF-C01-2025-42", "R-ENF-C01-2025-000000",
		"R-ENF-C01-2025-0000042", "R-ENF-C01-2025-+00042", "R-ENF-C01-0000-000042", "R-ENF-C01-2025-000042-1",
		"R-ENF-C01-2025-00004a", " R-ENF-C01-2025-000042", "R-ÉCOLE-C01-2025-000042"} {
		t.Run("refuse "+bad, func(t *testing.T) {
			if _, _, _, _, err := ParseReceiptNumber(bad); ErrorCodeOf(err) != EInvalid {
				t.Errorf("got %v, want %s", err, EInvalid)
			}
		})
	}
}

func TestCashCount(t *testing.T) {
	tests := []struct {
		name  string
		count CashCount
		code  ErrorCode
		total Money
		norm  CashCount
	}{
		{"empty", CashCount{}, "", 0, CashCount{}},
		{"notes and coins", CashCount{{1, 7}, {50_00, 2}, {2_00, 0}, {50, 3}}, "", 101_57, CashCount{{50_00, 2}, {50, 3}, {1, 7}}},
		{"every denomination once", allDenominations(), "", 888_88, allDenominations()},
		{"unknown denomination", CashCount{{3_00, 1}}, EUnknownDenom, 3_00, nil},
		{"duplicate", CashCount{{10_00, 1}, {5_00, 1}, {10_00, 2}}, EDuplicateDenom, 35_00, nil},
		{"negative", CashCount{{1_00, -1}}, EInvalid, -1_00, nil},
		{"absurd count", CashCount{{1, 1_000_001}}, EInvalid, 10_000_01, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCodeOf(tt.count.Validate()); got != tt.code {
				t.Errorf("Validate code %q, want %q", got, tt.code)
			}
			if got := tt.count.Total(); got != tt.total {
				t.Errorf("Total = %d, want %d", got, tt.total)
			}
			if tt.norm == nil {
				return
			}
			n := tt.count.Normalized()
			a, _ := Canonical(n)
			b, _ := Canonical(tt.norm)
			if string(a) != string(b) || n.Total() != tt.total {
				t.Errorf("Normalized = %s, want %s", a, b)
			}
		})
	}
}

func allDenominations() CashCount {
	c := CashCount{}
	for _, d := range Denominations {
		c = append(c, CashLine{Value: d, Count: 1})
	}
	return c
}

func TestModeTotals(t *testing.T) {
	a := ModeTotals{Cash: 10_00, Check: 45_50}
	b := ModeTotals{Cash: -10_00, Card: 7_25}
	sum := a.Add(b)
	if _, ok := sum[Cash]; ok || sum[Check] != 45_50 || sum[Card] != 7_25 || len(sum) != 2 {
		t.Errorf("Add = %v, zero modes must go", sum)
	}
	if a[Cash] != 10_00 || len(b) != 2 {
		t.Errorf("Add changed its operands: %v %v", a, b)
	}
	tests := []struct {
		name  string
		x, y  ModeTotals
		equal bool
		total Money
	}{
		{"both empty", ModeTotals{}, nil, true, 0},
		{"zero is missing", ModeTotals{Cash: 0, Card: 5}, ModeTotals{Card: 5}, true, 5},
		{"different amount", ModeTotals{Cash: 1}, ModeTotals{Cash: 2}, false, 1},
		{"different mode", ModeTotals{Cash: 1}, ModeTotals{Check: 1}, false, 1},
		{"unknown mode counts", ModeTotals{"bitcoin": 1}, ModeTotals{}, false, 1},
		{"refund netted", ModeTotals{Cash: 85_50, Check: -45_50}, ModeTotals{Check: -45_50, Cash: 85_50}, true, 40_00},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.x.Equal(tt.y); got != tt.equal {
				t.Errorf("Equal = %v", got)
			}
			if got := tt.y.Equal(tt.x); got != tt.equal {
				t.Errorf("Equal is not symmetric")
			}
			if got := tt.x.Total(); got != tt.total {
				t.Errorf("Total = %d, want %d", got, tt.total)
			}
		})
	}
}

func TestPaymentValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Payment, r *Regie)
		code   ErrorCode
	}{
		{"the vectors' payment", func(p *Payment, r *Regie) {}, ""},
		{"no tender", func(p *Payment, r *Regie) { p.Tenders = nil }, EAmountNotPositive},
		{"no allocation", func(p *Payment, r *Regie) { p.Allocations = nil }, EAllocationRequired},
		{"unknown mode", func(p *Payment, r *Regie) { p.Tenders[1].Mode = "bitcoin" }, EModeNotAllowed},
		{"mode not in the act", func(p *Payment, r *Regie) { r.Modes = []PaymentMode{Cash} }, EModeNotAllowed},
		{"online at a counter", func(p *Payment, r *Regie) { r.Modes = append(r.Modes, Online); p.Tenders[1].Mode = Online }, EModeNotAllowed},
		{"cheque without drawer", func(p *Payment, r *Regie) { p.Tenders[1].Drawer = " " }, ECheckDetails},
		{"change on a cheque", func(p *Payment, r *Regie) { p.Tenders[1].Change = 1 }, EChangeNotCash},
		{"change does not add up", func(p *Payment, r *Regie) { p.Tenders[0].Change = 9_99 }, EInvalidAmount},
		{"over the cash limit", func(p *Payment, r *Regie) { r.CashLimit = 39_99 }, ECashLimit},
		{"zero tender", func(p *Payment, r *Regie) { p.Tenders[0] = Tender{Mode: Cash} }, EAmountNotPositive},
		{"card without authorisation", func(p *Payment, r *Regie) {
			p.Tenders[1] = Tender{Mode: Card, Amount: 45_50, MaskedPAN: "497010******1234"}
		}, ECardDetails},
		{"full card number", func(p *Payment, r *Regie) {
			p.Tenders[1] = Tender{Mode: Card, Amount: 45_50, Authorisation: "A12345", MaskedPAN: "4970101234561234"}
		}, ECardDetails},
		{"allocation on nothing", func(p *Payment, r *Regie) { p.Allocations[0].InvoiceID = "" }, EAllocationTarget},
		{"allocation on both", func(p *Payment, r *Regie) { p.Allocations[0].ItemCode = "REPAS" }, EAllocationTarget},
		{"credit above amount", func(p *Payment, r *Regie) { p.Allocations[1].Credit = 33_21 }, EInvalid},
		{"tenders do not match", func(p *Payment, r *Regie) { p.Allocations[1].Amount = 33_21 }, ETenderMismatch},
		{"anonymous refused", func(p *Payment, r *Regie) { p.HouseholdID = "" }, EAnonymousRefused},
		{"anonymous allowed", func(p *Payment, r *Regie) { p.HouseholdID, r.AnonymousSales = "", true }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, r := vecPaymentObj(), vecRegie()
			tt.change(&p, &r)
			if got := ErrorCodeOf(p.Validate(&r)); got != tt.code {
				t.Errorf("code %q, want %q", got, tt.code)
			}
		})
	}
}

func TestRegieValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *Regie)
		ok     bool
	}{
		{"the vectors' régie", func(r *Regie) {}, true},
		{"lower-case code", func(r *Regie) { r.Code = "enf" }, false},
		{"code too long", func(r *Regie) { r.Code = "ABCDEFGHIJKLM" }, false},
		{"blank name", func(r *Regie) { r.Name = "  " }, false},
		{"no mode", func(r *Regie) { r.Modes = nil }, false},
		{"unknown mode", func(r *Regie) { r.Modes = append(r.Modes, "especes") }, false},
		{"negative float", func(r *Regie) { r.Float = -1 }, false},
		{"deposit period 0", func(r *Regie) { r.DepositPeriodDays = 0 }, false},
		{"deposit period 32", func(r *Regie) { r.DepositPeriodDays = 32 }, false},
		{"no cash limit means 300 €", func(r *Regie) { r.CashLimit = 0 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := vecRegie()
			tt.change(&r)
			err := r.Validate()
			if (err == nil) != tt.ok || (err != nil && ErrorCodeOf(err) != EInvalid) {
				t.Errorf("Validate = %v", err)
			}
		})
	}
	if r := (Regie{}); r.EffectiveCashLimit() != DefaultCashLimit {
		t.Errorf("EffectiveCashLimit = %d", r.EffectiveCashLimit())
	}
}

func TestMaskedPANOK(t *testing.T) {
	for pan, ok := range map[string]bool{
		"497010******1234": true, "4970 10XX XXXX 1234": true, "************1234": true, "•••• 1234": true,
		"4970101234561234": false, "4970101*****61234": false, "49701012****1234": false, "": false, "1234": false,
	} {
		t.Run(pan, func(t *testing.T) {
			if got := MaskedPANOK(pan); got != ok {
				t.Errorf("MaskedPANOK(%q) = %v", pan, got)
			}
		})
	}
}
