package jsonlfmt

import (
	"context"
	"fmt"
	"io"

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

// keyKinds records which JSON kinds a key had in the sample.
type keyKinds struct {
	name                               string
	bools, ints, floats, strs, nesteds bool
}

func (k *keyKinds) observe(kd kind, v []byte) {
	switch kd {
	case kTrue, kFalse:
		k.bools = true
	case kNumber:
		if _, ok := textcol.ParseInt64(v); ok {
			k.ints = true
		} else {
			k.floats = true
		}
	case kString:
		k.strs = true
	case kObject, kArray:
		k.nesteds = true
	}
}

func (k *keyKinds) typ() types.Type {
	switch {
	case k.strs || k.nesteds || (k.bools && (k.ints || k.floats)):
		return types.StringType
	case k.bools:
		return types.BoolType
	case k.floats:
		return types.Float64Type
	case k.ints:
		return types.Int64Type
	}
	return types.StringType
}

// Infer unions the keys of a sample of lines.
func (Format) Infer(ctx context.Context, file storage.Location, options map[string]string) (*types.Schema, error) {
	o, err := parseOptions(options)
	if err != nil {
		return nil, err
	}
	f, err := textfile.Open(ctx, format.Split{URL: file.URL()}, o.compression)
	if err != nil {
		return nil, fmt.Errorf("jsonl: %w", err)
	}
	defer f.Close()
	lines, err := f.Lines()
	if err != nil {
		return nil, fmt.Errorf("jsonl: %w", err)
	}
	inf := &inferrer{url: file.URL(), lines: lines, index: map[string]int{}}
	if err := inf.run(); err != nil {
		return nil, err
	}
	if len(inf.keys) == 0 {
		return nil, fmt.Errorf("jsonl: %s: no keys to infer a schema from (empty file?)", file.URL())
	}
	return inf.schema(), nil
}

type inferrer struct {
	url   string
	lines *textcol.LineReader
	sc    scanner
	keys  []keyKinds
	index map[string]int
}

func (in *inferrer) run() error {
	for rows := 0; rows < sampleRows && in.lines.Consumed() < sampleBytes; {
		line, err := in.lines.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("jsonl: read %s: %w", in.url, err)
		}
		if blank(line) {
			continue
		}
		if err := in.object(textcol.TrimEOL(line)); err != nil {
			return &format.DataError{File: in.url, Line: in.lines.Line(), Err: err}
		}
		rows++
	}
	return nil
}

// object records the keys and value kinds of one line.
func (in *inferrer) object(line []byte) error {
	return in.sc.object(line, func(key []byte) error {
		k := in.key(key)
		kd, v, err := in.sc.value()
		if err == nil {
			in.keys[k].observe(kd, v)
		}
		return err
	})
}

func (in *inferrer) key(name []byte) int {
	if i, ok := in.index[string(name)]; ok {
		return i
	}
	in.index[string(name)] = len(in.keys)
	in.keys = append(in.keys, keyKinds{name: string(name)})
	return len(in.keys) - 1
}

func (in *inferrer) schema() *types.Schema {
	out := &types.Schema{Fields: make([]types.Field, len(in.keys))}
	for i, k := range in.keys {
		out.Fields[i] = types.Field{Name: k.name, Type: k.typ(), Nullable: true}
	}
	return out
}
