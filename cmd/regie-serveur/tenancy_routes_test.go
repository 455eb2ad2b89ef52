package main

import (
	"archive/zip"
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/backoffice"
	"github.com/regie-fr/regie/server/publik"
	"github.com/regie-fr/regie/sync/protocol"
)

// routeConsts are the constants route patterns are built from. A pattern
// that names another one fails the test: a new route is then added here
// once, never silently left out of the crawl.
var routeConsts = map[string]string{
	"backoffice.Prefix": backoffice.Prefix, "publik.Prefix": publik.Prefix,
	"protocol.PathEnrol": protocol.PathEnrol, "protocol.PathPush": protocol.PathPush, "protocol.PathPull": protocol.PathPull,
	"protocol.PathLinkSlips": protocol.PathLinkSlips, "protocol.PathJournal": protocol.PathJournal,
}

var methodPattern = regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE) /`)

// declaredPatterns reads every route pattern ("GET /x/{id}") written in
// the non-test Go files of a package's folder: every string expression
// (a literal or a sum of literals and constants) that starts with a method.
func declaredPatterns(t *testing.T, dir, pkg string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	seen := map[string]bool{}
	var out []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			e, ok := n.(ast.Expr)
			if !ok {
				return true
			}
			first, ok := leftmost(e)
			if !ok || !methodPattern.MatchString(first+"/") && !methodPattern.MatchString(first) {
				return true
			}
			s, ok := evalString(e, pkg)
			if !ok {
				t.Fatalf("%s: a route pattern this test cannot read (add its constant to routeConsts): %s", fset.Position(e.Pos()), first)
			}
			if methodPattern.MatchString(s) && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
			return false
		})
	}
	if len(out) == 0 {
		t.Fatalf("no route found in %s", dir)
	}
	return out
}

// leftmost is the literal a string sum starts with.
func leftmost(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			return leftmost(x.X)
		}
	}
	return "", false
}

// evalString evaluates a sum of string literals and known constants.
func evalString(e ast.Expr, pkg string) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.Ident:
		v, ok := routeConsts[pkg+"."+x.Name]
		return v, ok
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			v, ok := routeConsts[id.Name+"."+x.Sel.Name]
			return v, ok
		}
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		a, ok1 := evalString(x.X, pkg)
		b, ok2 := evalString(x.Y, pkg)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return evalString(x.X, pkg)
	}
	return "", false
}

var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// expand gives the paths of a pattern with each wildcard replaced by each
// value ({$} by nothing): every id of both cities goes into every hole.
func expand(path string, values []string) []string {
	return expandNamed(path, func(string) []string { return values })
}

// expandNamed is expand with the values chosen by the wildcard's name.
func expandNamed(path string, values func(name string) []string) []string {
	path = strings.ReplaceAll(path, "{$}", "")
	holes := wildcard.FindAllStringIndex(path, -1)
	out := []string{""}
	last := 0
	for _, h := range holes {
		var next []string
		name := strings.TrimSuffix(strings.Trim(path[h[0]:h[1]], "{}"), "...")
		for _, prefix := range out {
			for _, v := range values(name) {
				next = append(next, prefix+path[last:h[0]]+v)
			}
		}
		out, last = next, h[1]
	}
	for i := range out {
		out[i] += path[last:]
	}
	return out
}

// readable is what a person could read in an answer: HTML unescaped, a
// PDF's text (pdftotext), every file of a ZIP, anything else as it is.
func readable(t *testing.T, contentType string, body []byte) string {
	t.Helper()
	switch {
	case strings.HasPrefix(contentType, "application/pdf") || bytes.HasPrefix(body, []byte("%PDF-")):
		f := filepath.Join(t.TempDir(), "doc.pdf")
		if err := os.WriteFile(f, body, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		return string(out)
	case strings.HasPrefix(contentType, "application/zip") || bytes.HasPrefix(body, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatalf("zip: %v", err)
		}
		var b strings.Builder
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(rc)
			rc.Close()
			b.WriteString(f.Name + "\n" + readable(t, "", data) + "\n")
		}
		return b.String()
	}
	return html.UnescapeString(string(body))
}

var hrefRE = regexp.MustCompile(`(?:href|src)="(/[^"#]*)"`)

// links are the same-site addresses a page leads to.
func links(page string) []string {
	var out []string
	for _, m := range hrefRE.FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

var (
	formRE  = regexp.MustCompile(`(?s)<form([^>]*)>(.*?)</form>`)
	attrRE  = regexp.MustCompile(`(\w+)="([^"]*)"`)
	fieldRE = regexp.MustCompile(`<(?:input|select|textarea)[^>]*\bname="([^"]+)"`)
)

// getForms are the addresses a page's GET forms (searches, filters) lead
// to with each field in turn set to each value, the others left empty:
// what people type into them.
func getForms(page, self string, values []string) []string {
	var out []string
	for _, m := range formRE.FindAllStringSubmatch(page, -1) {
		attrs := map[string]string{}
		for _, a := range attrRE.FindAllStringSubmatch(m[1], -1) {
			attrs[strings.ToLower(a[1])] = html.UnescapeString(a[2])
		}
		if method := strings.ToLower(attrs["method"]); method != "" && method != "get" {
			continue
		}
		action := attrs["action"]
		if action == "" {
			action = self
		}
		if !strings.HasPrefix(action, "/") {
			continue
		}
		action, _, _ = strings.Cut(action, "?")
		for _, f := range fieldRE.FindAllStringSubmatch(m[2], -1) {
			for _, v := range values {
				out = append(out, action+"?"+url.Values{f[1]: {v}}.Encode())
			}
		}
	}
	return out
}
