package store

import (
	"fmt"
	"slices"
	"strings"
)

// compareHouseholdWords checks household_words (migration 0009) against
// the households' names folded in Go: the rows a search by name reads are
// exactly the words of the names as they are now, no more, no fewer.
func (t *Tx) compareHouseholdWords(r *ChainReport) error {
	want := map[string][]string{}
	err := t.each(`SELECT id, name FROM households`, nil, func(sc scanner) error {
		var id, name string
		if err := sc.Scan(&id, &name); err != nil {
			return err
		}
		ws := nameWords(name)
		slices.Sort(ws)
		want[id] = ws
		return nil
	})
	if err != nil {
		return wrap("verify household_words", err)
	}
	got := map[string][]string{}
	err = t.each(`SELECT household_id, word FROM household_words ORDER BY household_id, word`, nil, func(sc scanner) error {
		var id, w string
		if err := sc.Scan(&id, &w); err != nil {
			return err
		}
		got[id] = append(got[id], w)
		return nil
	})
	if err != nil {
		return wrap("verify household_words", err)
	}
	var ids []string
	for id := range want {
		ids = append(ids, id)
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		if w, g := want[id], got[id]; !slices.Equal(w, g) {
			r.add(Problem{Code: "projection", Message: fmt.Sprintf("table household_words, foyer %s : mots « %s » au lieu de « %s » (nom du foyer)",
				id, strings.Join(g, " "), strings.Join(w, " "))})
		}
	}
	return nil
}
