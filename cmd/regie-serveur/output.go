package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/exchange"
)

// out is how an administration command answers: French sentences for the
// person at the terminal by default, or with --json one JSON document on
// stdout for scripts, keys in English and amounts in integer cents. A
// refusal still goes to stderr in French, and in JSON mode stdout also
// carries {"error": {"code", "message"}} so a script need not parse French.
type out struct {
	json           *bool
	stdout, stderr io.Writer
}

// outFlags adds --json to a command's flags.
func outFlags(fs *flag.FlagSet, stdout, stderr io.Writer) *out {
	return &out{json: fs.Bool("json", false, "réponse en JSON (clés en anglais) pour les scripts"), stdout: stdout, stderr: stderr}
}

func (o *out) asJSON() bool { return o.json != nil && *o.json }

// answer prints v in JSON, or runs text; it returns the exit status 0.
func (o *out) answer(v any, text func(io.Writer)) int {
	if !o.asJSON() {
		text(o.stdout)
		return 0
	}
	enc := json.NewEncoder(o.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintln(o.stderr, "Erreur :", err)
		return 1
	}
	return 0
}

// jsonError is the error document of a refused command.
type jsonError struct {
	Code     string        `json:"code"`
	Message  string        `json:"message"`
	Problems []jsonProblem `json:"problems,omitempty"`
}

type jsonProblem struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
}

// fail reports err (see report) and, in JSON mode, its document; exit 1.
func (o *out) fail(err error) int {
	var refused *exchange.Refused
	if errors.As(err, &refused) {
		fmt.Fprintln(o.stderr, refused.Error())
	} else {
		report(o.stderr, err)
	}
	if o.asJSON() {
		e := jsonError{Code: "error", Message: regie.ErrorMessage(err)}
		var re *regie.Error
		if errors.As(err, &re) {
			e.Code = string(re.Code)
		}
		if refused != nil {
			e.Code, e.Message = "import_refused", "Import refusé, rien n'a été enregistré."
			for _, p := range refused.Problems {
				e.Problems = append(e.Problems, jsonProblem{File: p.File, Line: p.Line, Reason: p.Motif})
			}
		}
		json.NewEncoder(o.stdout).Encode(map[string]jsonError{"error": e})
	}
	return 1
}
