package s3

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/shuffle"
	"github.com/drover-etl/drover/storage"
)

// The benchmark shuffle object: one map task's output of 64 MiB in 8
// partitions, 8 batches of 64 Ki rows each. Numbers are for the loopback
// MinIO sharing the machine's cores with the benchmark; compare runs, do
// not assert on them.
const (
	benchParts     = 8
	benchBatchRows = 64 << 10
	benchBatches   = 8
	benchBytes     = benchParts * benchBatches * benchBatchRows * 16
)

func benchStore(b *testing.B, cfg Config) *Store {
	m := testutil.StartMinIO(b)
	m.MakeBucket(b, testBucket)
	cfg.Endpoint, cfg.AccessKey, cfg.SecretKey, cfg.Region = m.Endpoint, m.AccessKey, m.SecretKey, m.Region
	return mustNew(b, cfg, testBucket)
}

func benchRecords() [][]arrow.RecordBatch {
	r := rand.New(rand.NewPCG(3, 4))
	recs := make([][]arrow.RecordBatch, benchParts)
	for p := range recs {
		for range benchBatches {
			recs[p] = append(recs[p], randomBatch(r, benchBatchRows))
		}
	}
	return recs
}

func commitShuffle(b *testing.B, s *Store, recs [][]arrow.RecordBatch, key string) int64 {
	w := shuffle.NewWriter(shuffleSchema, len(recs))
	for p, rs := range recs {
		for _, rec := range rs {
			if err := w.Write(p, rec); err != nil {
				b.Fatal(err)
			}
		}
	}
	bytesPer, _, err := w.Commit(context.Background(), storage.Location{Store: s, Key: key})
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, x := range bytesPer {
		n += x
	}
	return n
}

// BenchmarkShuffleWrite measures a map task's shuffle output: Arrow IPC
// encoding with LZ4 plus the upload of one 64 MiB object.
func BenchmarkShuffleWrite(b *testing.B) {
	s := benchStore(b, Config{})
	recs := benchRecords()
	b.SetBytes(benchBytes)
	for i := 0; b.Loop(); i++ {
		commitShuffle(b, s, recs, fmt.Sprintf("bench/write/map-%d", i))
	}
}

// BenchmarkShuffleRead measures reduce-side reads of every partition of
// one 64 MiB shuffle object, one partition after another, then all eight
// at once as eight reducers on one machine would.
func BenchmarkShuffleRead(b *testing.B) {
	s := benchStore(b, Config{})
	commitShuffle(b, s, benchRecords(), "bench/read/map-0")
	loc := storage.Location{Store: s, Key: "bench/read/map-0"}
	b.Run("sequential", func(b *testing.B) {
		b.SetBytes(benchBytes)
		for b.Loop() {
			for p := range benchParts {
				readPartition(b, loc, p)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetBytes(benchBytes)
		for b.Loop() {
			var wg sync.WaitGroup
			for p := range benchParts {
				wg.Go(func() { readPartition(b, loc, p) })
			}
			wg.Wait()
		}
	})
}

// BenchmarkStorePut measures raw uploads of a 64 MiB object by part size
// and upload threads (memory per writer is about their product).
func BenchmarkStorePut(b *testing.B) {
	data := randomBytes(b, 64<<20)
	for _, cfg := range []Config{
		{PartSize: 16 << 20, UploadThreads: 4},
		{PartSize: 16 << 20, UploadThreads: 1},
		{PartSize: 32 << 20, UploadThreads: 2},
		{PartSize: 64 << 20, UploadThreads: 1},
	} {
		b.Run(fmt.Sprintf("part=%dMiB/threads=%d", cfg.PartSize>>20, cfg.UploadThreads), func(b *testing.B) {
			s := benchStore(b, cfg)
			b.SetBytes(int64(len(data)))
			for i := 0; b.Loop(); i++ {
				put(b, s, fmt.Sprintf("bench/put/%d", i), data, 1<<20)
			}
		})
	}
}

// BenchmarkStoreGet measures raw ranged reads of a 64 MiB object in eight
// concurrent 8 MiB ReadAts.
func BenchmarkStoreGet(b *testing.B) {
	s := benchStore(b, Config{})
	put(b, s, "bench/get", randomBytes(b, 64<<20), 8<<20)
	f, err := s.Open(context.Background(), "bench/get")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(f.Size())
	for b.Loop() {
		var wg sync.WaitGroup
		for i := range int64(8) {
			wg.Go(func() {
				if _, err := f.ReadAt(make([]byte, 8<<20), i<<23); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
	}
}
