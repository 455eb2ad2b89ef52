package clocale

import (
	"os"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		env      map[string]string
		language string
	}{
		{map[string]string{"LANG": "C.UTF-8"}, "en"},
		{map[string]string{"LC_ALL": "POSIX.utf8"}, "en"},
		{map[string]string{"LC_MESSAGES": "C.UTF-8@euro", "LANG": "fr_FR.UTF-8"}, "en"},
		{map[string]string{"LANG": "C"}, ""},
		{map[string]string{"LANG": "fr_FR.UTF-8"}, ""},
		{map[string]string{"LC_ALL": "fr_FR.UTF-8", "LANG": "C.UTF-8"}, ""},
		{map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "fr"}, "fr"},
		{map[string]string{}, ""},
	} {
		for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
			t.Setenv(k, tc.env[k])
		}
		Normalize()
		if got := os.Getenv("LANGUAGE"); got != tc.language {
			t.Errorf("%v: LANGUAGE=%q, want %q", tc.env, got, tc.language)
		}
	}
}
