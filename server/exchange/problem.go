// Package exchange moves data between the server and the city's other
// software: it imports households, members and invoices (with their lines)
// from the business software's CSV or JSON exports, and exports the
// payments and cancellations the counters recorded for the finance
// software. An import is validated whole before anything is written: a file
// with one bad line changes nothing, and the refusal lists every bad line
// with its number and the reason, in French.
package exchange

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one bad line of an imported file. Line 0 is about the file as
// a whole (its encoding, its header).
type Problem struct {
	File  string
	Line  int
	Motif string
}

func (p Problem) String() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s : %s", p.File, p.Motif)
	}
	return fmt.Sprintf("%s, ligne %d : %s", p.File, p.Line, p.Motif)
}

// Refused is the error of an import that wrote nothing: every problem
// found, in file and line order.
type Refused struct {
	Problems []Problem
}

func (r *Refused) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Import refusé, rien n'a été enregistré (%d erreur(s)) :", len(r.Problems))
	for _, p := range r.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects what is wrong while a file is read.
type problems struct {
	list []Problem
}

func (ps *problems) add(file string, line int, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: file, Line: line, Motif: fmt.Sprintf(format, args...)})
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	sort.SliceStable(ps.list, func(i, j int) bool {
		a, b := ps.list[i], ps.list[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return &Refused{Problems: ps.list}
}
