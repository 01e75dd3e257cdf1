package jobspec

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/drover-etl/drover/format"
	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/jsonl"
	_ "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// The job spec reference (docs/jobspec.md) is checked against the parser
// so that the two cannot drift: a block or attribute added to a schema
// here fails these tests until it is documented, and one documented but
// not accepted fails them too.

const specDoc = "../docs/jobspec.md"

// blockSchemas are the schemas of every block the parser decodes, by
// block type; each has a "`type` block" section in the reference.
var blockSchemas = map[string]*hcl.BodySchema{
	"variable": variableSchema,
	"job":      jobSchema,
	"source":   sourceSchema,
	"view":     viewSchema,
	"join":     joinSchema,
	"sink":     sinkSchema,
	"plugin":   pluginSchema,
	"catalog":  catalogSchema,
}

func readDoc(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// section returns the text under the heading "## `name` block" (or ###),
// up to the next heading of any level.
func section(t *testing.T, doc, name string) string {
	t.Helper()
	re := regexp.MustCompile("(?m)^#{2,3} `" + regexp.QuoteMeta(name) + "` block\\s*$")
	loc := re.FindStringIndex(doc)
	if loc == nil {
		t.Fatalf("%s has no section \"## `%s` block\"", specDoc, name)
	}
	rest := doc[loc[1]:]
	if next := regexp.MustCompile(`(?m)^#{1,6} `).FindStringIndex(rest); next != nil {
		rest = rest[:next[0]]
	}
	return rest
}

// table returns the rows (cells trimmed, header and rule excluded) of the
// first Markdown table in text whose first header cell is header.
func table(text, header string) [][]string {
	var rows [][]string
	in := false
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			if in {
				return rows
			}
			continue
		}
		cells := splitRow(line)
		switch {
		case !in && cells[0] == header:
			in = true
		case in && strings.HasPrefix(cells[0], "---"):
		case in:
			rows = append(rows, cells)
		}
	}
	return rows
}

// splitRow splits a table row at unescaped pipes.
func splitRow(line string) []string {
	line = strings.TrimSuffix(strings.TrimPrefix(line, "|"), "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		if line[i] == '\\' && i+1 < len(line) && line[i+1] == '|' {
			cur.WriteByte('|')
			i++
			continue
		}
		if line[i] == '|' {
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteByte(line[i])
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

// codes returns the code spans of a cell.
func codes(cell string) []string {
	var out []string
	for _, m := range codeSpan.FindAllStringSubmatch(cell, -1) {
		out = append(out, m[1])
	}
	return out
}

// keyed indexes rows by the code span that makes up their first cell.
func keyed(t *testing.T, where string, rows [][]string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, r := range rows {
		c := codes(r[0])
		if len(c) != 1 || "`"+c[0]+"`" != r[0] {
			t.Errorf("%s: first cell %q is not one `name`", where, r[0])
			continue
		}
		out[c[0]] = r
	}
	return out
}

// TestDocCoversSchemas: every attribute and nested block each schema
// declares is a row of its section's tables, and every row is declared;
// required attributes, and only those, say "required".
func TestDocCoversSchemas(t *testing.T) {
	doc := readDoc(t, specDoc)
	for _, b := range rootSchema.Blocks {
		section(t, doc, b.Type)
	}
	for name, schema := range blockSchemas {
		sec := section(t, doc, name)
		where := fmt.Sprintf("%s, `%s` block", specDoc, name)
		attrs := keyed(t, where, table(sec, "attribute"))
		for _, a := range schema.Attributes {
			row, ok := attrs[a.Name]
			if !ok {
				t.Errorf("%s: attribute %q is accepted by the parser but not documented", where, a.Name)
				continue
			}
			if a.Required != slices.Contains(row, "required") {
				t.Errorf("%s: attribute %q: required is %t in the parser; the doc's row says %q", where, a.Name, a.Required, row)
			}
		}
		for doc := range attrs {
			if !slices.ContainsFunc(schema.Attributes, func(a hcl.AttributeSchema) bool { return a.Name == doc }) {
				t.Errorf("%s: attribute %q is documented but the parser does not accept it", where, doc)
			}
		}
		blocks := keyed(t, where, table(sec, "block"))
		for _, b := range schema.Blocks {
			if _, ok := blocks[b.Type]; !ok {
				t.Errorf("%s: nested block %q is accepted by the parser but not documented", where, b.Type)
			}
			if _, ok := blockSchemas[b.Type]; !ok {
				t.Errorf("nested block %q has no schema in blockSchemas (add it and a section)", b.Type)
			}
		}
		for doc := range blocks {
			if !slices.ContainsFunc(schema.Blocks, func(b hcl.BlockHeaderSchema) bool { return b.Type == doc }) {
				t.Errorf("%s: nested block %q is documented but the parser does not accept it", where, doc)
			}
		}
	}
}

// row returns the attribute row name of block's section.
func row(t *testing.T, doc, block, name string) []string {
	t.Helper()
	r, ok := keyed(t, block, table(section(t, doc, block), "attribute"))[name]
	if !ok {
		t.Fatalf("%s: no row for %s.%s", specDoc, block, name)
	}
	return r
}

// TestDocEnumerations: the values listed for format, join type and mode
// are exactly the ones the parser accepts.
func TestDocEnumerations(t *testing.T) {
	doc := readDoc(t, specDoc)
	for _, block := range []string{"source", "sink"} {
		got := strings.Join(row(t, doc, block, "format")[1:], " ")
		for _, f := range allFormats() {
			if !strings.Contains(got, `"`+f+`"`) {
				t.Errorf("%s.format does not list %q", block, f)
			}
		}
		for _, c := range codes(got) {
			if !slices.Contains(allFormats(), strings.Trim(c, `"`)) {
				t.Errorf("%s.format lists %s, which is not a format", block, c)
			}
		}
	}
	joinCell := row(t, doc, "join", "type")[1]
	for _, c := range codes(joinCell) {
		if _, err := logical.ParseJoinType(c); err != nil {
			t.Errorf("join type %q is documented: %v", c, err)
		}
	}
	for i := range 32 {
		name := logical.JoinType(i).String()
		if _, err := logical.ParseJoinType(name); err == nil && !slices.Contains(codes(joinCell), name) {
			t.Errorf("join type %q is accepted but not documented", name)
		}
	}
	modeCell := row(t, doc, "sink", "mode")[1]
	for _, c := range codes(modeCell) {
		if _, err := logical.ParseWriteMode(c); err != nil {
			t.Errorf("mode %q is documented: %v", c, err)
		}
	}
	for _, m := range []logical.WriteMode{logical.ModeError, logical.ModeOverwrite, logical.ModeAppend, logical.ModeDynamicOverwrite} {
		if !slices.Contains(codes(modeCell), m.String()) {
			t.Errorf("mode %q is accepted but not documented", m)
		}
	}
}

// placeholders turns decimal(p,s) and the like into real type names.
var placeholders = strings.NewReplacer("(p,s)", "(10,2)", "(p,0)", "(10,0)", "(p)", "(10)")

// TestDocTypes: every logical type has a row, and every name in the type
// table parses as the row's type.
func TestDocTypes(t *testing.T) {
	doc := readDoc(t, specDoc)
	rows := table(doc, "type")
	if len(rows) == 0 {
		t.Fatal("no type table")
	}
	seen := map[types.ID]bool{}
	for _, r := range rows {
		first := codes(r[0])
		if len(first) != 1 {
			t.Errorf("type row %q: want one `name` first", r[0])
			continue
		}
		want, err := types.Parse(placeholders.Replace(first[0]))
		if err != nil {
			t.Errorf("type %q: %v", first[0], err)
			continue
		}
		seen[want.ID] = true
		for _, alias := range codes(r[1]) {
			got, err := types.Parse(placeholders.Replace(alias))
			if err != nil || got.ID != want.ID {
				t.Errorf("type alias %q of %q parses as %v, %v", alias, first[0], got, err)
			}
		}
	}
	for id := types.Bool; id <= types.Timestamp; id++ {
		if !seen[id] {
			t.Errorf("type %s has no row in the type table", id)
		}
	}
}

// TestDocFormatOptions: every option in the csv, jsonl and parquet option
// tables is known to its format, and every option a format names as valid
// is documented.
func TestDocFormatOptions(t *testing.T) {
	doc := readDoc(t, specDoc)
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	for _, name := range Formats {
		re := regexp.MustCompile("(?m)^### " + name + " options\\s*$")
		loc := re.FindStringIndex(doc)
		if loc == nil {
			t.Errorf("%s: no section \"### %s options\"", specDoc, name)
			continue
		}
		f, err := format.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		documented := keyed(t, name+" options", table(doc[loc[1]:], "option"))
		for opt := range documented {
			// A bad value is fine; an unknown key is not.
			if _, err := f.NewWriter(io.Discard, schema, map[string]string{opt: "x"}); err != nil && strings.Contains(err.Error(), "unknown option") {
				t.Errorf("%s option %q is documented: %v", name, opt, err)
			}
		}
		_, err = f.NewWriter(io.Discard, schema, map[string]string{"no_such_option": "x"})
		m := regexp.MustCompile(`unknown option \(want ([^)]*)\)`).FindStringSubmatch(fmt.Sprint(err))
		if m == nil {
			t.Errorf("%s: an unknown option gave %v; want the list of valid ones", name, err)
			continue
		}
		for _, opt := range regexp.MustCompile(`[a-z_]+`).FindAllString(m[1], -1) {
			if _, ok := documented[opt]; !ok {
				t.Errorf("%s option %q is accepted but not documented", name, opt)
			}
		}
	}
}

// fence is one fenced code block of a Markdown file.
type fence struct {
	info string // the info string: "hcl", "sh", ...
	line int    // line of the opening fence
	body string
}

func fences(doc string) []fence {
	var out []fence
	var cur *fence
	var body []string
	for i, line := range strings.Split(doc, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			cur = &fence{info: strings.TrimSpace(strings.TrimPrefix(trimmed, "```")), line: i + 1}
			body = nil
		case cur != nil && trimmed == "```":
			cur.body = strings.Join(body, "\n") + "\n"
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			body = append(body, line)
		}
	}
	return out
}

// TestDocExamples: every ```hcl block of the shipped docs (docs/*.md and
// the README) is Drover job HCL. One with a job block is a whole job file
// and must parse and validate; any other holds job blocks (a view, a sink,
// ...) whose attributes and nested blocks must be ones the parser accepts.
func TestDocExamples(t *testing.T) {
	files, err := filepath.Glob("../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../README.md")
	whole := 0
	for _, path := range files {
		doc := readDoc(t, path)
		for _, f := range fences(doc) {
			if f.info != "hcl" {
				continue
			}
			name := fmt.Sprintf("%s:%d", filepath.Base(path), f.line)
			file, diags := hclsyntax.ParseConfig([]byte(f.body), name, hcl.InitialPos)
			if diags.HasErrors() {
				t.Errorf("%s: example is not HCL:\n%v", path, diags)
				continue
			}
			if hasJob(file) {
				whole++
				if _, err := ParseSource([]byte(f.body), name, nil); err != nil {
					t.Errorf("%s: example does not parse:\n%v", path, err)
				}
				continue
			}
			if err := checkFragment(file); err != nil {
				t.Errorf("%s: example:\n%v", path, err)
			}
		}
	}
	if whole < 3 {
		t.Errorf("only %d whole-job HCL examples in docs/*.md and README.md", whole)
	}
}

func hasJob(file *hcl.File) bool {
	for _, b := range file.Body.(*hclsyntax.Body).Blocks {
		if b.Type == "job" {
			return true
		}
	}
	return false
}

// checkFragment decodes every block of file, at any depth, against the
// schema of its type.
func checkFragment(file *hcl.File) error {
	body := file.Body.(*hclsyntax.Body)
	if len(body.Attributes) > 0 || len(body.Blocks) == 0 {
		return errors.New("an example holds blocks only")
	}
	var errs []error
	var walk func(blocks hclsyntax.Blocks)
	walk = func(blocks hclsyntax.Blocks) {
		for _, b := range blocks {
			schema, ok := blockSchemas[b.Type]
			if !ok {
				errs = append(errs, fmt.Errorf("%s: unknown block type %q", b.DefRange(), b.Type))
				continue
			}
			if len(b.Labels) != 1 {
				errs = append(errs, fmt.Errorf("%s: block %q needs one label", b.DefRange(), b.Type))
			}
			if _, diags := b.Body.Content(schema); diags.HasErrors() {
				errs = append(errs, diags)
			}
			walk(b.Body.Blocks)
		}
	}
	walk(body.Blocks)
	return errors.Join(errs...)
}

// TestDocLinks: the README and docs/*.md link only to files inside the
// repository (a clone has no ../shared/...), and every #anchor names a
// heading of its target.
func TestDocLinks(t *testing.T) {
	files, err := filepath.Glob("../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../README.md")
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, path := range files {
		doc := readDoc(t, path)
		for _, m := range link.FindAllStringSubmatch(doc, -1) {
			target, anchor, _ := strings.Cut(m[1], "#")
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				t.Errorf("%s links outside the repository: %s", path, m[1])
				continue
			}
			file := path
			if target != "" {
				file = filepath.Join(filepath.Dir(path), target)
			}
			abs, err := filepath.Abs(file)
			if err != nil || (abs != root && !strings.HasPrefix(abs, root+string(filepath.Separator))) {
				t.Errorf("%s links outside the repository: %s", path, m[1])
				continue
			}
			if _, err := os.Stat(file); err != nil {
				t.Errorf("%s: broken link %s", path, m[1])
				continue
			}
			if anchor != "" && !slices.Contains(anchors(readDoc(t, file)), anchor) {
				t.Errorf("%s: link %s: no heading with that anchor in %s", path, m[1], target)
			}
		}
	}
}

// anchors lists the GitHub anchors of a Markdown file's headings.
func anchors(doc string) []string {
	var out []string
	inFence := false
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
		var b strings.Builder
		for _, r := range h {
			switch {
			case r == ' ':
				b.WriteByte('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		out = append(out, b.String())
	}
	return out
}
