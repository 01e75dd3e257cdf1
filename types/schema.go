package types

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Field is a named, typed column. Qualifier is the relation the column came
// from (a source or view name, or a join alias); it lets "orders.id" and
// "customers.id" coexist in a join's output. Only Name reaches written files.
type Field struct {
	Qualifier string `json:"q,omitempty"`
	Name      string `json:"name"`
	Type      Type   `json:"type"`
	Nullable  bool   `json:"nullable"`
}

// QualifiedName is "qualifier.name", or just name without a qualifier.
func (f Field) QualifiedName() string {
	if f.Qualifier == "" {
		return f.Name
	}
	return f.Qualifier + "." + f.Name
}

// Schema is an ordered list of fields.
type Schema struct {
	Fields []Field `json:"fields"`
}

// NewSchema returns a schema of the given fields.
func NewSchema(fields ...Field) *Schema { return &Schema{Fields: fields} }

// Len is the number of columns.
func (s *Schema) Len() int { return len(s.Fields) }

// Names lists the unqualified column names in order.
func (s *Schema) Names() []string {
	out := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		out[i] = f.Name
	}
	return out
}

// Arrow returns the Arrow schema (unqualified names; strings as plain utf8).
func (s *Schema) Arrow() *arrow.Schema {
	fs := make([]arrow.Field, len(s.Fields))
	for i, f := range s.Fields {
		fs[i] = arrow.Field{Name: f.Name, Type: f.Type.Arrow(), Nullable: f.Nullable}
	}
	return arrow.NewSchema(fs, nil)
}

// FromArrowSchema converts an Arrow schema; qualifier is applied to every field.
func FromArrowSchema(as *arrow.Schema, qualifier string) (*Schema, error) {
	out := &Schema{Fields: make([]Field, 0, len(as.Fields()))}
	for _, af := range as.Fields() {
		t, err := FromArrow(af.Type)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", af.Name, err)
		}
		out.Fields = append(out.Fields, Field{Qualifier: qualifier, Name: af.Name, Type: t, Nullable: af.Nullable})
	}
	return out, nil
}

// WithQualifier returns a copy with every field's qualifier replaced.
func (s *Schema) WithQualifier(q string) *Schema {
	out := &Schema{Fields: append([]Field(nil), s.Fields...)}
	for i := range out.Fields {
		out.Fields[i].Qualifier = q
	}
	return out
}

// Project returns the schema of the given column ordinals.
func (s *Schema) Project(idx []int) *Schema {
	out := &Schema{Fields: make([]Field, len(idx))}
	for i, j := range idx {
		out.Fields[i] = s.Fields[j]
	}
	return out
}

// Concat returns the fields of s followed by those of o.
func (s *Schema) Concat(o *Schema) *Schema {
	out := &Schema{Fields: make([]Field, 0, len(s.Fields)+len(o.Fields))}
	out.Fields = append(append(out.Fields, s.Fields...), o.Fields...)
	return out
}

// Resolve finds a column by optional qualifier and name (case-insensitive).
// It returns ErrAmbiguousColumn when an unqualified name matches twice and
// ErrUnknownColumn (with near names suggested) when nothing matches.
func (s *Schema) Resolve(qualifier, name string) (int, error) {
	found := -1
	for i, f := range s.Fields {
		if !strings.EqualFold(f.Name, name) {
			continue
		}
		if qualifier != "" && !strings.EqualFold(f.Qualifier, qualifier) {
			continue
		}
		if found >= 0 {
			return -1, fmt.Errorf("%w: %q matches %s and %s; qualify it",
				ErrAmbiguousColumn, name, s.Fields[found].QualifiedName(), f.QualifiedName())
		}
		found = i
	}
	if found < 0 {
		ref := name
		if qualifier != "" {
			ref = qualifier + "." + name
		}
		return -1, &UnknownColumnError{Ref: ref, Suggestions: s.near(ref)}
	}
	return found, nil
}

// String renders "name:type, ..." with qualifiers, for plans and errors.
func (s *Schema) String() string {
	parts := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		parts[i] = f.QualifiedName() + ":" + f.Type.String()
	}
	return strings.Join(parts, ", ")
}
