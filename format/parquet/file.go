package parquetfmt

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"

	"github.com/drover-etl/drover/storage"
)

// pfile is an open Parquet file: the storage object and its footer.
type pfile struct {
	url string
	f   storage.File
	rdr *file.Reader
}

// openFile opens url through storage and reads its footer. Anything that
// goes wrong past the storage layer means the file is not valid Parquet.
func openFile(ctx context.Context, url string) (*pfile, error) {
	loc, err := storage.Resolve(ctx, url)
	if err != nil {
		return nil, err
	}
	f, err := loc.Store.Open(ctx, loc.Key)
	if err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	rdr, err := newParquetReader(f)
	if err != nil {
		f.Close()
		return nil, corrupt(url, err)
	}
	return &pfile{url: url, f: f, rdr: rdr}, nil
}

// newParquetReader turns a panic on a garbage footer into an error.
func newParquetReader(f storage.File) (rdr *file.Reader, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("invalid footer: %v", r)
		}
	}()
	return file.NewParquetReader(io.NewSectionReader(f, 0, f.Size()))
}

func (pf *pfile) Close() error {
	if pf.f == nil {
		return nil
	}
	err := pf.f.Close()
	pf.f = nil
	return err
}

// rowGroupBytes is the compressed size of a row group (summed from its
// column chunks when the writer left the total out).
func rowGroupBytes(rg *metadata.RowGroupMetaData) int64 {
	if n := rg.TotalCompressedSize(); n > 0 {
		return n
	}
	var n int64
	for c := range rg.NumColumns() {
		if cc, err := rg.ColumnChunk(c); err == nil {
			n += cc.TotalCompressedSize()
		}
	}
	if n == 0 {
		n = rg.TotalByteSize()
	}
	return n
}
