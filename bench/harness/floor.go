package harness

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Floor is the time arrow-go's pqarrow needs just to decode the columns a
// query reads (warm page cache), on one goroutine and on Threads
// goroutines (row groups shared out). No engine reading these files
// through pqarrow can be faster than that.
type Floor struct {
	Single   time.Duration `json:"single_ns"`
	Parallel time.Duration `json:"parallel_ns"`
	Threads  int           `json:"threads"`
}

// rowGroupJob is one row group of one file and the leaves to decode.
type rowGroupJob struct {
	path   string
	rg     int
	leaves []int
	dict   []int // leaves read as dictionaries
}

// measureFloor times the decode of q's columns: one warm-up, then the
// median of reps runs, for one goroutine and for threads.
func measureFloor(ctx context.Context, ds *Dataset, q Query, threads, reps int) (Floor, error) {
	jobs, err := floorJobs(ds, q)
	if err != nil {
		return Floor{}, err
	}
	f := Floor{Threads: threads}
	for _, n := range []int{1, threads} {
		var times []time.Duration
		for i := 0; i <= reps; i++ {
			start := time.Now()
			if err := decodeAll(ctx, jobs, n); err != nil {
				return Floor{}, err
			}
			if i > 0 { // the first run warms the page cache
				times = append(times, time.Since(start))
			}
		}
		if n == 1 {
			f.Single = median(times)
		} else {
			f.Parallel = median(times)
		}
	}
	if threads == 1 {
		f.Parallel = f.Single
	}
	return f, nil
}

// floorJobs lists the row groups of every table q reads, with the leaf
// columns to decode. String columns stored with a dictionary are read as
// dictionaries, as Drover's reader does.
func floorJobs(ds *Dataset, q Query) ([]rowGroupJob, error) {
	var jobs []rowGroupJob
	for _, r := range q.Reads {
		files, err := ds.files(r.Table)
		if err != nil {
			return nil, err
		}
		for _, path := range files {
			js, err := fileJobs(path, r.Columns)
			if err != nil {
				return nil, err
			}
			jobs = append(jobs, js...)
		}
	}
	return jobs, nil
}

func fileJobs(path string, columns []string) ([]rowGroupJob, error) {
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	md := pf.MetaData()
	var leaves, dict []int
	for _, c := range columns {
		i := md.Schema.ColumnIndexByName(c)
		if i < 0 {
			return nil, fmt.Errorf("%s: no column %q", path, c)
		}
		leaves = append(leaves, i)
		if md.Schema.Column(i).PhysicalType() == parquet.Types.ByteArray && dictionaryThroughout(md, i) {
			dict = append(dict, i)
		}
	}
	var jobs []rowGroupJob
	for rg := range md.NumRowGroups() {
		jobs = append(jobs, rowGroupJob{path: path, rg: rg, leaves: leaves, dict: dict})
	}
	return jobs, nil
}

// decodeAll decodes every job on n goroutines.
func decodeAll(ctx context.Context, jobs []rowGroupJob, n int) error {
	ch := make(chan rowGroupJob)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				if err := decodeRowGroup(ctx, j); err != nil {
					errs <- err
					for range ch {
					}
					return
				}
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
	close(errs)
	return <-errs
}

func decodeRowGroup(ctx context.Context, j rowGroupJob) error {
	pf, err := file.OpenParquetFile(j.path, false)
	if err != nil {
		return err
	}
	defer pf.Close()
	props := pqarrow.ArrowReadProperties{BatchSize: 64 << 10}
	for _, leaf := range j.dict {
		props.SetReadDict(leaf, true)
	}
	fr, err := pqarrow.NewFileReader(pf, props, memory.DefaultAllocator)
	if err != nil {
		return err
	}
	rr, err := fr.GetRecordReader(ctx, j.leaves, []int{j.rg})
	if err != nil {
		return err
	}
	defer rr.Release()
	for {
		rec, err := rr.Read()
		if err == io.EOF || (err == nil && rec == nil) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// dictionaryThroughout reports whether every chunk of the leaf has a
// dictionary and no plain data pages (the writer did not fall back): then
// Drover reads it as a dictionary, and so does the floor.
func dictionaryThroughout(md *metadata.FileMetaData, leaf int) bool {
	const dataPage, dataPageV2 = 0, 3 // parquet.thrift PageType
	for rg := range md.NumRowGroups() {
		cc, err := md.RowGroup(rg).ColumnChunk(leaf)
		if err != nil || !cc.HasDictionaryPage() {
			return false
		}
		for _, st := range cc.EncodingStats() {
			pt := int32(st.PageType)
			dict := st.Encoding == parquet.Encodings.RLEDict || st.Encoding == parquet.Encodings.PlainDict
			if (pt == dataPage || pt == dataPageV2) && !dict {
				return false
			}
		}
	}
	return md.NumRowGroups() > 0
}
