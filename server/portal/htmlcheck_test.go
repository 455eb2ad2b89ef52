package portal_test

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// doc is a parsed page.
type doc struct {
	t    *testing.T
	root *html.Node
}

func parse(t *testing.T, body string) *doc {
	t.Helper()
	n, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return &doc{t: t, root: n}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// all lists the elements named tag under n, in document order.
func all(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if x.Type == html.ElementNode && x.Data == tag {
			out = append(out, x)
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// text is an element's text, spaces collapsed (no-break ones kept).
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
		} else if x.Type == html.ElementNode && (x.Data == "br" || x.Data == "li") {
			b.WriteByte(' ')
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.FieldsFunc(b.String(), func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' }), " ")
}

func (d *doc) all(tag string) []*html.Node { return all(d.root, tag) }

// h1 is the page's one heading of level 1.
func (d *doc) h1() string {
	d.t.Helper()
	hs := d.all("h1")
	if len(hs) != 1 {
		d.t.Fatalf("%d h1 on the page", len(hs))
	}
	return text(hs[0])
}

func (d *doc) title() string {
	d.t.Helper()
	ts := d.all("title")
	if len(ts) != 1 {
		d.t.Fatalf("%d titles", len(ts))
	}
	return text(ts[0])
}

// checkPage checks what every page must have for accessibility: lang="fr",
// a title starting with the h1, a skip link to the main content, unique
// ids, every visible field labelled, every table with a caption and
// header cells, every heading level following the previous one.
func (d *doc) checkPage() {
	d.t.Helper()
	if h := d.all("html"); len(h) != 1 || attr(h[0], "lang") != "fr" {
		d.t.Fatal(`page without lang="fr"`)
	}
	if !strings.HasPrefix(d.title(), d.h1()+" – ") {
		d.t.Fatalf("title %q does not start with the h1 %q", d.title(), d.h1())
	}
	ids := map[string]bool{}
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if x.Type == html.ElementNode {
			// The CSP allows no inline script or style: there must be none.
			if x.Data == "script" || x.Data == "style" || attr(x, "style") != "" {
				d.t.Fatalf("inline %s in the page", x.Data)
			}
			if id := attr(x, "id"); id != "" {
				if ids[id] {
					d.t.Fatalf("id %q used twice", id)
				}
				ids[id] = true
			}
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(d.root)
	skip := false
	for _, a := range d.all("a") {
		if attr(a, "href") == "#contenu" && ids["contenu"] {
			skip = true
		}
	}
	if !skip {
		d.t.Fatal("no skip link to #contenu")
	}
	labels := map[string]bool{}
	for _, l := range d.all("label") {
		labels[attr(l, "for")] = true
	}
	for _, tag := range []string{"input", "select", "textarea"} {
		for _, in := range d.all(tag) {
			if attr(in, "type") == "hidden" {
				continue
			}
			if id := attr(in, "id"); id == "" || !labels[id] {
				d.t.Fatalf("%s %q has no label", tag, attr(in, "name"))
			}
		}
	}
	for _, tb := range d.all("table") {
		if len(all(tb, "caption")) != 1 || len(all(tb, "th")) == 0 || len(all(tb, "thead")) != 1 {
			d.t.Fatal("table without caption, thead or th")
		}
		for _, th := range all(all(tb, "thead")[0], "th") {
			if attr(th, "scope") != "col" {
				d.t.Fatalf("column header %q without scope", text(th))
			}
		}
	}
	level := 0
	var heads func(*html.Node)
	heads = func(x *html.Node) {
		if x.Type == html.ElementNode && len(x.Data) == 2 && x.Data[0] == 'h' && x.Data[1] >= '1' && x.Data[1] <= '6' {
			l := int(x.Data[1] - '0')
			if l > level+1 {
				d.t.Fatalf("heading %s %q skips a level", x.Data, text(x))
			}
			level = l
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			heads(c)
		}
	}
	heads(d.root)
}

// table gives a table's rows as cell texts, header row first.
func (d *doc) table(caption string) [][]string {
	d.t.Helper()
	for _, tb := range d.all("table") {
		if c := all(tb, "caption"); len(c) == 1 && strings.Contains(text(c[0]), caption) {
			var rows [][]string
			for _, tr := range all(tb, "tr") {
				var cells []string
				for c := tr.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.ElementNode && (c.Data == "th" || c.Data == "td") {
						cells = append(cells, text(c))
					}
				}
				rows = append(rows, cells)
			}
			return rows
		}
	}
	d.t.Fatalf("no table captioned %q", caption)
	return nil
}

// links lists the hrefs of the page's links.
func (d *doc) links() []string {
	var out []string
	for _, a := range d.all("a") {
		out = append(out, attr(a, "href"))
	}
	return out
}

// has tells whether the page's text (entities decoded) contains s.
func (d *doc) has(s string) bool { return strings.Contains(text(d.root), s) }
