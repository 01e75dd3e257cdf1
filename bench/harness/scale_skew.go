package harness

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// SkewConfig shapes the skewed join of the scale suite: a fact table of
// Rows rows, SkewPercent of which carry the key 0, joined to a dimension of
// Rows/4 keys (queries/skew_join).
type SkewConfig struct {
	Rows        int64
	SkewPercent int
	// ThresholdBytes is Drover's --skew-threshold-bytes in the adaptive
	// run (default 16 MiB: the generated data is smaller than a real
	// job's, so the production default of 256 MiB would never fire).
	ThresholdBytes int64
}

// SkewResult is the skewed join with adaptive execution off and on, and
// DuckDB's answer to check both.
type SkewResult struct {
	FactRows       int64  `json:"fact_rows"`
	DimRows        int64  `json:"dim_rows"`
	SkewPercent    int    `json:"skew_percent"`
	SkewKeyRows    int64  `json:"skew_key_rows"`
	ThresholdBytes int64  `json:"threshold_bytes"`
	Dir            string `json:"dir"`
	Query          Query  `json:"query"`
	// DroverArgs are the flags both Drover runs got, AdaptiveArgs those
	// the adaptive run added.
	DroverArgs   []string `json:"drover_args"`
	AdaptiveArgs []string `json:"adaptive_args"`
	Off          ScaleRun `json:"adaptive_off"`
	On           ScaleRun `json:"adaptive_on"`
	DuckDB       ScaleRun `json:"duckdb"`
	AgreeOff     bool     `json:"agree_off"`
	AgreeOn      bool     `json:"agree_on"`
	// Split says whether the adaptive run split a skewed partition
	// (from its run summary's adaptive decisions).
	Split bool `json:"split"`
}

var skewQuery = Query{Name: "skew_join", Title: "fact ⋈ dim with one key on a third of fact, shuffled", Job: "skew_join"}

// runSkew generates (or reuses) the skewed tables and runs the join.
func runSkew(ctx context.Context, cfg ScaleConfig, work string) (*SkewResult, error) {
	sk := cfg.Skew
	if sk.SkewPercent <= 0 {
		sk.SkewPercent = 30
	}
	if sk.ThresholdBytes <= 0 {
		sk.ThresholdBytes = 16 << 20
	}
	dir, err := ensureSkewData(ctx, cfg.Config, sk)
	if err != nil {
		return nil, err
	}
	res := &SkewResult{FactRows: sk.Rows, DimRows: sk.Rows / 4, SkewPercent: sk.SkewPercent,
		ThresholdBytes: sk.ThresholdBytes, Dir: dir, Query: skewQuery}
	if res.SkewKeyRows, err = countSkewKey(dir); err != nil {
		return nil, err
	}
	// Broadcast off, before and during the run: the join must be a
	// shuffled one for skew to matter. 32 partitions, so that the key's
	// partition stands out against the median (a split needs 5× it; with
	// the default 4 partitions of a small table it is only ~3×).
	res.DroverArgs = []string{"--broadcast-threshold", "-1", "--adaptive-broadcast-bytes", "-1", "--partitions", "32"}
	q := skewQuery
	q.DroverArgs = res.DroverArgs
	res.Off = runScaleDrover(ctx, cfg, dir, q, filepath.Join(work, "skew-off"), []string{"--adaptive=false"})
	cfg.logf("skew_join, adaptive off: %s", res.Off.brief())
	// The split side is cut into runs of whole map outputs of about the
	// advisory size: a quarter of the threshold, so the key's partition
	// becomes several tasks.
	res.AdaptiveArgs = []string{"--adaptive=true", "--skew-threshold-bytes", strconv.FormatInt(sk.ThresholdBytes, 10),
		"--advisory-partition-bytes", strconv.FormatInt(sk.ThresholdBytes/4, 10)}
	res.On = runScaleDrover(ctx, cfg, dir, q, filepath.Join(work, "skew-on"), res.AdaptiveArgs)
	cfg.logf("skew_join, adaptive on: %s", res.On.brief())
	tables := map[string]string{"fact": filepath.Join(dir, "fact", "*.parquet"), "dim": filepath.Join(dir, "dim", "*.parquet")}
	res.DuckDB = runScaleDuck(ctx, cfg, tables, q, filepath.Join(work, "skew-duckdb"))
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	agree := func(r ScaleRun) bool {
		return r.Completed && res.DuckDB.Completed && r.Sample.Result.Agrees(res.DuckDB.Sample.Result)
	}
	res.AgreeOff, res.AgreeOn = agree(res.Off), agree(res.On)
	for _, st := range res.On.Stages {
		if st.SkewSplits > 0 {
			res.Split = true
		}
	}
	cfg.logf("skew_join: agree off %v, on %v; split %v", res.AgreeOff, res.AgreeOn, res.Split)
	return res, nil
}

// ensureSkewData writes fact/ and dim/ Parquet tables with DuckDB (in this
// process) under the data root, once per shape.
func ensureSkewData(ctx context.Context, cfg Config, sk SkewConfig) (string, error) {
	dir := filepath.Join(cfg.DataRoot, fmt.Sprintf("skew-%d-p%d-v2", sk.Rows, sk.SkewPercent))
	if _, err := os.Stat(filepath.Join(dir, dataMarker)); err == nil {
		return dir, nil
	}
	cfg.logf("generating the skewed join's tables (%d fact rows, %d%% on one key) into %s", sk.Rows, sk.SkewPercent, dir)
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	for _, t := range []string{"fact", "dim"} {
		if err := os.MkdirAll(filepath.Join(dir, t), 0o755); err != nil {
			return "", err
		}
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return "", err
	}
	defer db.Close()
	dim := sk.Rows / 4
	// Key 0 on SkewPercent % of the rows (by a hash of the row number, so
	// they are spread over the file), the others uniform over 1..dim-1.
	// The fact table is written as several files, so that its map stage
	// has several tasks: a skewed partition is split by runs of map
	// outputs, and one map output cannot be split.
	files := int64(max(8, sk.Rows/1_250_000))
	stmts := []string{fmt.Sprintf("SET threads = %d", cfg.Threads)}
	per := (sk.Rows + files - 1) / files
	for f := int64(0); f < files; f++ {
		lo, hi := f*per, min((f+1)*per, sk.Rows)
		stmts = append(stmts, fmt.Sprintf(`COPY (SELECT CASE WHEN hash(i) %% 100 < %d THEN 0 ELSE 1 + hash(i * 7919) %% %d END::BIGINT AS k,
			(i %% 1000)::BIGINT AS v, 'row-' || i::VARCHAR AS note
			FROM range(%d, %d) t(i)) TO %s (FORMAT parquet)`,
			sk.SkewPercent, dim-1, lo, hi, quote(filepath.Join(dir, "fact", fmt.Sprintf("part-%03d.parquet", f)))))
	}
	stmts = append(stmts, fmt.Sprintf(`COPY (SELECT i::BIGINT AS k, (i %% 100)::BIGINT AS g, 'name-' || i::VARCHAR AS name
			FROM range(%d) t(i)) TO %s (FORMAT parquet)`,
		dim, quote(filepath.Join(dir, "dim", "part-0.parquet"))))
	start := time.Now()
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return "", fmt.Errorf("%s: %w", s, err)
		}
	}
	note := fmt.Sprintf("fact %d rows (%d%% with k = 0), dim %d rows; generated in %s\n", sk.Rows, sk.SkewPercent, dim, time.Since(start))
	return dir, os.WriteFile(filepath.Join(dir, dataMarker), []byte(note), 0o644)
}

// countSkewKey counts the fact rows with the skewed key.
func countSkewKey(dir string) (int64, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int64
	err = db.QueryRow(fmt.Sprintf("SELECT count(*) FROM read_parquet(%s) WHERE k = 0", quote(filepath.Join(dir, "fact", "*.parquet")))).Scan(&n)
	return n, err
}
