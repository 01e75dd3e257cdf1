package csvfmt

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/textcol"
	"github.com/drover-etl/drover/format/textfile"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/types"
)

// Sample limits of Infer.
const (
	sampleRows  = 1000
	sampleBytes = 1 << 20
)

// Infer reads the header and a sample of records.
func (Format) Infer(ctx context.Context, file storage.Location, options map[string]string) (*types.Schema, error) {
	o, err := parseOptions(options)
	if err != nil {
		return nil, err
	}
	f, err := textfile.Open(ctx, format.Split{URL: file.URL()}, o.compression)
	if err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	defer f.Close()
	lines, err := f.Lines()
	if err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	p := newParser(lines, o.delim, o.quote)
	if err := p.skipLines(o.skipRows); err != nil && err != io.EOF {
		return nil, fmt.Errorf("csv: read %s: %w", file.URL(), err)
	}
	s := &sampler{url: file.URL(), p: p, o: o}
	return s.run()
}

// sampler infers a schema from the first records of a file.
type sampler struct {
	url   string
	p     *parser
	o     options
	names []string
	inf   []*textcol.Inferrer
}

func (s *sampler) run() (*types.Schema, error) {
	line, err := s.p.next()
	if err == io.EOF {
		return nil, fmt.Errorf("csv: %s: cannot infer a schema from an empty file", s.url)
	}
	if err != nil {
		return nil, s.wrap(line, err)
	}
	s.start()
	if !s.o.header {
		s.observe()
	}
	for rows := 0; rows < sampleRows && s.p.consumed() < sampleBytes; rows++ {
		line, err := s.p.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, s.wrap(line, err)
		}
		if len(s.p.fields) != len(s.names) {
			return nil, fieldCountError(s.url, line, len(s.names), len(s.p.fields))
		}
		s.observe()
	}
	return s.schema(), nil
}

// start names the columns from the first record.
func (s *sampler) start() {
	n := len(s.p.fields)
	s.names = make([]string, n)
	s.inf = make([]*textcol.Inferrer, n)
	for i := range n {
		if s.o.header {
			s.names[i] = strings.TrimSpace(string(s.p.field(i)))
		}
		s.inf[i] = textcol.NewInferrer(s.o.parse)
	}
	s.names = uniqueNames(s.names)
}

func (s *sampler) observe() {
	for i, f := range s.p.fields {
		v := s.p.field(i)
		if isNull(v, f.quoted, false, &s.o) {
			continue
		}
		s.inf[i].Observe(v)
	}
}

func (s *sampler) schema() *types.Schema {
	out := &types.Schema{Fields: make([]types.Field, len(s.names))}
	for i, n := range s.names {
		out.Fields[i] = types.Field{Name: n, Type: s.inf[i].Type(), Nullable: true}
	}
	return out
}

func (s *sampler) wrap(line int64, err error) error {
	return wrapParseError(s.url, line, err)
}

// uniqueNames replaces empty names by col_i and renames duplicates
// (compared case-insensitively, as column references are) to name_2, ...
func uniqueNames(names []string) []string {
	seen := map[string]bool{}
	out := make([]string, len(names))
	for i, n := range names {
		if n == "" {
			n = fmt.Sprintf("col_%d", i+1)
		}
		base := n
		for k := 2; seen[strings.ToLower(n)]; k++ {
			n = fmt.Sprintf("%s_%d", base, k)
		}
		seen[strings.ToLower(n)] = true
		out[i] = n
	}
	return out
}
