package operator

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/s3cost"
	"github.com/drover-etl/drover/shuffle"
	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/s3"
	"github.com/drover-etl/drover/task"
)

// BenchmarkStageReadMinIO reads one reduce partition from 64 map outputs
// on a real MinIO: sequentially (each map output opened, its footer read,
// then its range: the reader before parallel fetch) and with 8 ranged
// GETs in flight. It reports S3 requests per partition and throughput.
func BenchmarkStageReadMinIO(b *testing.B) {
	const maps, parts, rows = 64, 8, 16 << 10
	m := testutil.StartMinIO(b)
	m.MakeBucket(b, "drover-bench")
	m.SetEnv(b)
	outs := writeRandomMapOutputs(b, "s3://drover-bench/shuffle", maps, parts, rows)
	for _, conc := range []int{1, DefaultFetchConcurrency} {
		b.Run(fmt.Sprintf("conc=%d", conc), func(b *testing.B) {
			env := &Env{Inputs: map[int][]task.MapOutput{0: outs}, FetchConcurrency: conc}
			rec := s3cost.NewRecorder()
			ctx := s3cost.WithRecorder(context.Background(), rec)
			b.SetBytes(maps * rows * 8)
			for i := 0; b.Loop(); i++ {
				got, err := readPartitionCtx(ctx, env, i%parts)
				if err != nil || len(got) != maps*rows {
					b.Fatalf("read %d rows: %v", len(got), err)
				}
			}
			b.ReportMetric(float64(rec.Usage().Requests())/float64(b.N), "requests/op")
		})
	}
}

// writeRandomMapOutputs writes maps shuffle objects of parts partitions
// of rows random (incompressible) values each under dir.
func writeRandomMapOutputs(b *testing.B, dir string, maps, parts, rows int) []task.MapOutput {
	r := rand.New(rand.NewPCG(1, 2))
	outs := make([]task.MapOutput, maps)
	vals := make([]int64, rows)
	for m := range maps {
		w := shuffle.NewWriter(readSchema.Arrow(), parts)
		for p := range parts {
			for i := range vals {
				vals[i] = r.Int64()
			}
			rec := shuffleBatch(readSchema.Arrow(), vals...)
			if err := w.Write(p, rec); err != nil {
				b.Fatal(err)
			}
			rec.Release()
		}
		url := task.ShuffleURL(dir, 0, m, 0)
		loc, err := storage.Resolve(context.Background(), url)
		if err != nil {
			b.Fatal(err)
		}
		bytes, rowsPer, err := w.Commit(context.Background(), loc)
		w.Close()
		if err != nil {
			b.Fatal(err)
		}
		outs[m] = task.MapOutput{URL: url, Bytes: bytes, Rows: rowsPer}
	}
	return outs
}
