// Package clocale keeps Fyne quiet under the C locale. Fyne's lang package
// reads the user's locale in its own init, through go-locale, which takes
// "C.UTF-8" (the default of containers and many servers) for a language
// named "C" and makes Fyne log "Error parsing user locale C" on stderr of
// every command of the program, windowless ones included, before main
// runs. Importing this package from main runs its init first (Go
// initialises packages in import-path order once their dependencies are:
// this one needs only os and strings, Fyne's lang needs golang.org/x/text,
// which sorts after it), and it names the language C stands for in
// LANGUAGE, which go-locale reads then. LANG itself is left alone, so the
// programs the counter starts (the PDF viewer) keep their character set.
package clocale

import (
	"os"
	"strings"
)

func init() { Normalize() }

// Normalize sets LANGUAGE to "en" when the locale variable that decides
// the language (the first set of LC_ALL, LC_MESSAGES, LANG) is
// "C.<codeset>" or "POSIX.<codeset>" and LANGUAGE is unset: the messages
// of the C locale are English, and GNU gettext reads LANGUAGE the same way.
func Normalize() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		base, _, _ := strings.Cut(v, ".")
		base, _, _ = strings.Cut(base, "@")
		if (base == "C" || base == "POSIX") && v != base {
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
}
