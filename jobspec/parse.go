package jobspec

import (
	"errors"
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "job", LabelNames: []string{"name"}},
	},
}

// ParseFile reads the job file at path; see ParseSource.
func ParseFile(path string, vars map[string]string) (*Job, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read job file: %w", err)
	}
	return ParseSource(src, path, vars)
}

// ParseSource parses and validates a job file. filename is used in error
// positions only. vars holds the --var overrides; each must name a
// declared variable. All problems found are returned together (joined),
// each rendered as "file:line:col: message".
func ParseSource(src []byte, filename string, vars map[string]string) (*Job, error) {
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, syntaxErrors(diags)
	}
	content, diags := file.Body.Content(rootSchema)
	if diags.HasErrors() {
		return nil, diagErrors(diags)
	}
	d := &decoder{}
	values, err := d.variables(content.Blocks.OfType("variable"), vars, filename)
	if err != nil {
		return nil, err
	}
	jobs := content.Blocks.OfType("job")
	if len(jobs) != 1 {
		return nil, oneJobError(jobs, file.Body, filename)
	}
	job := d.job(jobs[0])
	job.Vars = values
	if !d.diags.HasErrors() {
		validate(job, d)
	}
	if d.diags.HasErrors() {
		return nil, diagErrors(d.diags)
	}
	return job, nil
}

// syntaxErrors reports the first syntax error only: the parser's later
// ones are mostly consequences of it (an unclosed quote turns the rest of
// the file into errors).
func syntaxErrors(diags hcl.Diagnostics) error {
	errs := diags.Errs()
	var first *hcl.Diagnostic
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			first = d
			break
		}
	}
	err := diagErrors(hcl.Diagnostics{first})
	var e *Error
	if len(errs) > 1 && errors.As(err, &e) {
		e.Err = fmt.Errorf("%w (and %d more syntax errors, probably caused by this one)", e.Err, len(errs)-1)
	}
	return err
}

func oneJobError(jobs hcl.Blocks, body hcl.Body, filename string) error {
	if len(jobs) == 0 {
		rng := hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}
		if b, ok := body.(*hclsyntax.Body); ok {
			rng = b.SrcRange
		}
		return Errorf(rng, "no job block; a job file holds exactly one `job \"name\" { ... }`")
	}
	return Errorf(jobs[1].DefRange, "a second job block; a job file holds exactly one (the first is at line %d)", jobs[0].DefRange.Start.Line)
}

// decoder evaluates attributes against the job's variables and collects
// diagnostics, so that one run reports every mistake it can find.
type decoder struct {
	ctx   *hcl.EvalContext
	names []string // declared variable names, for suggestions
	diags hcl.Diagnostics
}

func (d *decoder) errorf(rng hcl.Range, format string, args ...any) {
	d.diags = append(d.diags, diag(rng, format, args...))
}

// content decodes a block body against schema, keeping the diagnostics.
func (d *decoder) content(b *hcl.Block, schema *hcl.BodySchema) *hcl.BodyContent {
	c, diags := b.Body.Content(schema)
	d.diags = append(d.diags, diags...)
	if c == nil {
		c = &hcl.BodyContent{Attributes: hcl.Attributes{}}
	}
	return c
}
