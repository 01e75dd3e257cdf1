package udf

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Plugin is what a plugin binary serves: its functions by name. Names are
// what jobs write after the plugin's name ("slug" in textkit.slug): lower
// case, without dots. Serve checks them.
type Plugin struct {
	Scalars    map[string]Scalar
	Transforms map[string]Transform
}

// Scalar is a function usable in any expression. It is called once per
// batch, never per row: Call gets whole columns.
type Scalar interface {
	// ResultType states the result type for these argument types, or
	// fails if the function does not accept them. The planner calls it
	// before any data flows, so a type error fails the job at once.
	ResultType(args []arrow.DataType) (arrow.DataType, error)
	// Call computes one value per row. args are plain arrays of the types
	// ResultType accepted, each of length rows; the result must have
	// length rows and exactly the type ResultType stated. NULL handling is
	// the function's own. args may live in memory shared with the
	// executor: they are valid only until Call returns, so copy what you
	// keep (a string taken from an array included).
	Call(ctx context.Context, args []arrow.Array, rows int) (arrow.Array, error)
}

// Transform is a batch transform, usable as a view step: batches in,
// batches out, any number of each.
type Transform interface {
	// OutputSchema declares the output for an input schema and the view's
	// args (plan time). Every batch the transform emits must have it.
	OutputSchema(in *arrow.Schema, args map[string]string) (*arrow.Schema, error)
	// Start begins one run over one partition of the input.
	Start(ctx context.Context, in *arrow.Schema, args map[string]string) (TransformRun, error)
}

// TransformRun is one partition's pass through a transform.
type TransformRun interface {
	// Batch handles one input batch: emit any number of output batches
	// (emit does not take ownership; release what you make).
	Batch(ctx context.Context, rec arrow.RecordBatch, emit Emit) error
	// Finish is called after the last batch: emit anything held back.
	Finish(ctx context.Context, emit Emit) error
}

// Emit sends one output batch to the executor.
type Emit func(arrow.RecordBatch) error

// Documented functions describe themselves in one line (Describe shows it).
type Documented interface {
	Doc() string
}

// DeterministicFunc is implemented by functions that declare whether they
// give the same output for the same input every time. A function that
// does not implement it counts as non-deterministic: when a lost shuffle
// output it produced is recomputed, the driver reruns every task that
// read the old one, which costs time but never gives a wrong answer.
type DeterministicFunc interface {
	Deterministic() bool
}

// FunctionInfo describes one exported function.
type FunctionInfo struct {
	Name          string
	Transform     bool // a batch transform; otherwise a scalar
	Doc           string
	Deterministic bool // declared deterministic (DeterministicFunc)
}

// Describe lists p's functions sorted by name.
func (p *Plugin) Describe() []FunctionInfo {
	var out []FunctionInfo
	for name, f := range p.Scalars {
		out = append(out, FunctionInfo{Name: name, Doc: docOf(f), Deterministic: deterministic(f)})
	}
	for name, f := range p.Transforms {
		out = append(out, FunctionInfo{Name: name, Transform: true, Doc: docOf(f), Deterministic: deterministic(f)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func deterministic(f any) bool {
	d, ok := f.(DeterministicFunc)
	return ok && d.Deterministic()
}

func docOf(f any) string {
	if d, ok := f.(Documented); ok {
		return d.Doc()
	}
	return ""
}

// Validate checks the function names: jobs call them as plugin.name, and
// the SQL parser lower-cases identifiers.
func (p *Plugin) Validate() error {
	if len(p.Scalars)+len(p.Transforms) == 0 {
		return fmt.Errorf("udf: the plugin exports no functions")
	}
	for name := range p.Scalars {
		if _, dup := p.Transforms[name]; dup {
			return fmt.Errorf("udf: %q is both a scalar and a transform", name)
		}
	}
	for _, f := range p.Describe() {
		if f.Name == "" || f.Name != strings.ToLower(f.Name) || strings.ContainsAny(f.Name, ". \t") {
			return fmt.Errorf("udf: function name %q must be lower case, without dots or spaces", f.Name)
		}
	}
	return nil
}

// DeterministicScalar declares s deterministic: the same arguments give
// the same result every time (its doc, if any, is kept).
func DeterministicScalar(s Scalar) Scalar { return pureScalar{s} }

// DeterministicTransform declares t deterministic: the same input batches
// in the same order give the same output every time.
func DeterministicTransform(t Transform) Transform { return pureTransform{t} }

type pureScalar struct{ Scalar }

func (pureScalar) Deterministic() bool { return true }
func (p pureScalar) Doc() string       { return docOf(p.Scalar) }

type pureTransform struct{ Transform }

func (pureTransform) Deterministic() bool { return true }
func (p pureTransform) Doc() string       { return docOf(p.Transform) }
