package shuffle

import (
	"bytes"
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/storage"
)

// PartitionRange is partition part's byte range in a shuffle object whose
// partitions have the given sizes (a map task's reported Bytes): the
// object holds them back to back from offset 0, the footer after them.
func PartitionRange(sizes []int64, part int) (off, n int64) {
	for _, s := range sizes[:part] {
		off += s
	}
	return off, sizes[part]
}

// FetchPartition reads partition part's bytes, [off, off+n), of the
// shuffle object at loc in one ranged read, skipping the footer: the
// caller knows the layout from the map task's reported sizes.
func FetchPartition(ctx context.Context, loc storage.Location, off, n int64) ([]byte, error) {
	buf := make([]byte, n)
	if err := storage.ReadRange(ctx, loc.Store, loc.Key, buf, off); err != nil {
		return nil, err
	}
	return buf, nil
}

// DecodePartition streams the batches of one partition's bytes, as
// FetchPartition returned them.
func DecodePartition(buf []byte, schema *arrow.Schema) (batch.Reader, error) {
	r, err := ipc.NewReader(bytes.NewReader(buf), ipc.WithAllocator(memory.DefaultAllocator), ipc.WithSchema(schema))
	if err != nil {
		return nil, fmt.Errorf("shuffle: decode partition: %w", err)
	}
	return &partReader{r: r, f: nopFile{}, schema: schema}, nil
}

// nopFile lets a partReader over bytes in memory close like one over a file.
type nopFile struct{ storage.File }

func (nopFile) Close() error { return nil }
