package store

import (
	"reflect"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/portal"
)

func TestParseSummary(t *testing.T) {
	settled := []struct {
		in   string
		want []portal.Settled
		bad  bool
	}{
		{in: `[]`},
		{in: `[["i1","FAC-1","","Cantine mars",10000]]`, want: []portal.Settled{{InvoiceID: "i1", InvoiceNumber: "FAC-1", Label: "Cantine mars", Amount: 100_00}}},
		{in: `[["","","PISC","Entrée \"piscine\" \\ \u00e9\n",350], [ "i2" , "F2" , "" , "<b>&" , -5 ] ]`, want: []portal.Settled{
			{ItemCode: "PISC", Label: "Entrée \"piscine\" \\ é\n", Amount: 3_50}, {InvoiceID: "i2", InvoiceNumber: "F2", Label: "<b>&", Amount: -5}}},
		{in: `[["a","b","c","d",1]`, bad: true},
		{in: `[["a","b","c",1]]`, bad: true},
		{in: `[["a","b","c","d",1]]x`, bad: true},
		{in: ``, bad: true},
	}
	for _, c := range settled {
		got, err := parseSettled(c.in)
		if (err != nil) != c.bad || !c.bad && !reflect.DeepEqual(got, c.want) {
			t.Errorf("parseSettled(%q) = %#v, %v", c.in, got, err)
		}
	}
	tenders, err := parseTenders("cash 350,check 2000")
	if want := []regie.Tender{{Mode: regie.Cash, Amount: 3_50}, {Mode: regie.Check, Amount: 20_00}}; err != nil || !reflect.DeepEqual(tenders, want) {
		t.Errorf("parseTenders: %v, %v", tenders, err)
	}
	if _, err := parseTenders("cash"); err == nil {
		t.Error("parseTenders accepted a pair without amount")
	}
}
