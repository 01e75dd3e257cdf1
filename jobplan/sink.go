package jobplan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
)

// sink builds the Write of a sink, checking what only the schema can tell:
// that partition_by names columns, and that written names are distinct.
func (b *builder) sink(s *jobspec.Sink) (*logical.Write, error) {
	input, err := b.relation(s.From.Value, s.From)
	if err != nil {
		return nil, err
	}
	schema := input.Schema()
	seen := map[string]bool{}
	for _, name := range schema.Names() {
		low := strings.ToLower(name)
		if seen[low] {
			return nil, jobspec.Errorf(s.From.Range, "sink %q: %q has two columns named %q; rename one in a view", s.Name, s.From.Value, name)
		}
		seen[low] = true
	}
	if input, err = layout(input, s.Layout, fmt.Sprintf("sink %q", s.Name)); err != nil {
		return nil, err
	}
	w := &logical.Write{Input: input, Sink: s.Name, Format: s.Format, Path: s.Path, Mode: s.Mode, Options: s.Options,
		TargetFileBytes: s.TargetFileSize}
	for _, p := range s.PartitionBy {
		i, err := schema.Resolve("", p.Value)
		if err != nil {
			return nil, jobspec.At(p.Range, fmt.Errorf("partition_by: %w", err))
		}
		if slices.Contains(w.PartitionBy, schema.Fields[i].Name) {
			return nil, jobspec.Errorf(p.Range, "partition_by: %q is listed twice", p.Value)
		}
		w.PartitionBy = append(w.PartitionBy, schema.Fields[i].Name)
	}
	if len(w.PartitionBy) > 0 && len(w.PartitionBy) >= schema.Len() {
		return nil, jobspec.Errorf(s.PartitionBy[0].Range, "sink %q: partition_by names every column; nothing would be left to write in the files", s.Name)
	}
	return w, nil
}
