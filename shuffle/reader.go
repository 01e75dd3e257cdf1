package shuffle

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/storage"
)

// ReadIndex reads the footer of a shuffle object.
func ReadIndex(f storage.File) (Index, error) {
	var idx Index
	size := f.Size()
	if size < 8 {
		return idx, fmt.Errorf("shuffle object too short (%d bytes)", size)
	}
	var tail [8]byte
	if _, err := f.ReadAt(tail[:], size-8); err != nil {
		return idx, err
	}
	n := int64(binary.LittleEndian.Uint64(tail[:]))
	if n <= 0 || n > size-8 {
		return idx, fmt.Errorf("shuffle object has a bad footer")
	}
	js := make([]byte, n)
	if _, err := f.ReadAt(js, size-8-n); err != nil {
		return idx, err
	}
	if err := json.Unmarshal(js, &idx); err != nil {
		return idx, fmt.Errorf("shuffle object has a bad footer: %w", err)
	}
	return idx, idx.check(size - 8 - n)
}

// check holds the index to its object: partitions are consecutive byte
// ranges in order, ending before the footer at dataEnd.
func (idx Index) check(dataEnd int64) error {
	if len(idx.Offsets) == 0 || idx.Offsets[0] != 0 {
		return fmt.Errorf("shuffle object has a bad index: offsets must start at 0")
	}
	for i := 1; i < len(idx.Offsets); i++ {
		if idx.Offsets[i] < idx.Offsets[i-1] || idx.Offsets[i] > dataEnd {
			return fmt.Errorf("shuffle object has a bad index: partition %d spans bytes %d-%d of %d", i-1, idx.Offsets[i-1], idx.Offsets[i], dataEnd)
		}
	}
	return nil
}

// OpenPartition streams partition part of the shuffle object at loc. The
// reader is empty when the map task wrote nothing to that partition.
func OpenPartition(ctx context.Context, loc storage.Location, part int, schema *arrow.Schema) (batch.Reader, int64, error) {
	f, err := loc.Store.Open(ctx, loc.Key)
	if err != nil {
		return nil, 0, err
	}
	idx, err := ReadIndex(f)
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("%s: %w", loc.URL(), err)
	}
	if part+1 >= len(idx.Offsets) {
		f.Close()
		return nil, 0, fmt.Errorf("%s: no partition %d", loc.URL(), part)
	}
	lo, hi := idx.Offsets[part], idx.Offsets[part+1]
	if lo == hi {
		f.Close()
		return batch.NewSliceReader(schema, nil), 0, nil
	}
	// No message of a partition can be longer than the partition: the
	// limits keep a corrupt length field from allocating gigabytes (set
	// on a message reader because ipc.NewReader drops them), and
	// checkedStream does the same for the lengths inside the metadata;
	// the allocator catches what arrow-go derives from them.
	opts := []ipc.Option{ipc.WithAllocator(partitionAllocator(hi - lo)), ipc.WithSchema(schema),
		ipc.WithMetadataSizeLimit(hi - lo), ipc.WithBodySizeLimit(hi - lo)}
	stream := &checkedStream{r: io.NewSectionReader(f, lo, hi-lo), limit: hi - lo}
	r, err := ipc.NewReaderFromMessageReader(ipc.NewMessageReader(stream, opts...), opts...)
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("%s: partition %d: %w", loc.URL(), part, err)
	}
	return &partReader{r: r, f: f, schema: schema}, hi - lo, nil
}

type partReader struct {
	r      *ipc.Reader
	f      storage.File
	schema *arrow.Schema
}

func (p *partReader) Schema() *arrow.Schema { return p.schema }

func (p *partReader) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !p.r.Next() {
		if err := p.r.Err(); err != nil && err != io.EOF {
			return nil, err
		}
		return nil, io.EOF
	}
	rec := p.r.RecordBatch()
	rec.Retain()
	return rec, nil
}

func (p *partReader) Close() error {
	if p.r != nil {
		p.r.Release()
		p.r = nil
		return p.f.Close()
	}
	return nil
}
