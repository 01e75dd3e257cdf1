package harness

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Result is a query output read back: what the engines must agree on.
type Result struct {
	Rows int64 `json:"rows"`
	// Checksum is the sum (mod 2^64) of the rows' hashes: independent of
	// row order and of how rows are split into files.
	Checksum string   `json:"checksum"`
	Columns  []string `json:"columns"`
	// Unsorted describes the first row out of order, when the query's
	// output must be sorted.
	Unsorted string `json:"unsorted,omitempty"`
}

// Agrees reports whether two results hold the same rows.
func (r Result) Agrees(o Result) bool {
	return r.Rows == o.Rows && r.Checksum == o.Checksum && strings.Join(r.Columns, ",") == strings.Join(o.Columns, ",")
}

func (r Result) String() string {
	return fmt.Sprintf("%d rows, checksum %s, columns %s", r.Rows, r.Checksum, strings.Join(r.Columns, ","))
}

// readResult reads every Parquet file under dir (in name order) and
// checksums the rows. Values are canonicalized so that the engines' type
// choices do not matter: integers and decimals as exact decimal text
// without trailing zeros (decimal(38,6) 1.500000 = decimal(15,2) 1.50),
// floats to ten significant digits, dates as YYYY-MM-DD, dictionary
// strings as their values.
func readResult(dir string, sortedBy []string) (Result, error) {
	files, err := outputFiles(dir)
	if err != nil {
		return Result{}, err
	}
	s := &summer{sortedBy: sortedBy}
	for _, f := range files {
		if err := s.readFile(f); err != nil {
			return Result{}, fmt.Errorf("%s: %w", f, err)
		}
	}
	return Result{Rows: s.rows, Checksum: fmt.Sprintf("%016x", s.sum), Columns: s.columns, Unsorted: s.unsorted}, nil
}

// outputFiles lists the Parquet files below dir, skipping hidden and
// underscore-prefixed entries (_SUCCESS, _staging).
func outputFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != dir && (strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(name, ".parquet") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("no Parquet output in %s", dir)
	}
	return files, err
}

// summer accumulates the checksum over files.
type summer struct {
	sortedBy []string
	columns  []string
	rows     int64
	sum      uint64
	buf      []byte
	sortCols []int
	prevKey  []string
	unsorted string
}

func (s *summer) readFile(path string) error {
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return err
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 64 << 10}, memory.DefaultAllocator)
	if err != nil {
		return err
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		return err
	}
	defer rr.Release()
	if err := s.setColumns(rr.Schema()); err != nil {
		return err
	}
	for {
		rec, err := rr.Read()
		if err == io.EOF || (err == nil && rec == nil) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := s.addBatch(rec); err != nil {
			return err
		}
	}
}

func (s *summer) setColumns(schema *arrow.Schema) error {
	var names []string
	for _, f := range schema.Fields() {
		names = append(names, strings.ToLower(f.Name))
	}
	if s.columns == nil {
		s.columns = names
		for _, c := range s.sortedBy {
			i := indexOf(names, c)
			if i < 0 {
				return fmt.Errorf("sort column %q is not in the output", c)
			}
			s.sortCols = append(s.sortCols, i)
		}
		return nil
	}
	if strings.Join(names, ",") != strings.Join(s.columns, ",") {
		return fmt.Errorf("columns %v differ from the first file's %v", names, s.columns)
	}
	return nil
}

func (s *summer) addBatch(rec arrow.RecordBatch) error {
	fmts := make([]canonFunc, rec.NumCols())
	for i, c := range rec.Columns() {
		f, err := canonicalizer(c)
		if err != nil {
			return fmt.Errorf("column %s: %w", s.columns[i], err)
		}
		fmts[i] = f
	}
	for row := range int(rec.NumRows()) {
		s.buf = s.buf[:0]
		for i, f := range fmts {
			if i > 0 {
				s.buf = append(s.buf, 0x1f)
			}
			s.buf = f(s.buf, row)
		}
		s.sum += mix(fnv1a(s.buf))
		s.rows++
		if len(s.sortCols) > 0 {
			s.checkOrder(rec, fmts, row)
		}
	}
	return nil
}

// checkOrder compares the sort keys with the previous row's. Keys are
// compared as canonical text, numerically where both parse as numbers.
func (s *summer) checkOrder(rec arrow.RecordBatch, fmts []canonFunc, row int) {
	key := make([]string, len(s.sortCols))
	for k, c := range s.sortCols {
		key[k] = string(fmts[c](nil, row))
	}
	if s.prevKey != nil && s.unsorted == "" && compareKeys(s.prevKey, key) > 0 {
		s.unsorted = fmt.Sprintf("row %d: %v after %v", s.rows, key, s.prevKey)
	}
	s.prevKey = key
}

func compareKeys(a, b []string) int {
	for i := range a {
		if c := compareValue(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

func compareValue(a, b string) int {
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA == nil && errB == nil {
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return strings.Compare(a, b) // dates as YYYY-MM-DD sort as text
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// canonFunc appends row i of a column in canonical form.
type canonFunc func(dst []byte, i int) []byte

func canonicalizer(c arrow.Array) (canonFunc, error) {
	f, err := valueCanonicalizer(c)
	if err != nil {
		return nil, err
	}
	return func(dst []byte, i int) []byte {
		if c.IsNull(i) {
			return append(dst, `\N`...)
		}
		return f(dst, i)
	}, nil
}

func valueCanonicalizer(c arrow.Array) (canonFunc, error) {
	switch a := c.(type) {
	case *array.Int8:
		return intCanon(a.Value), nil
	case *array.Int16:
		return intCanon(a.Value), nil
	case *array.Int32:
		return intCanon(a.Value), nil
	case *array.Int64:
		return intCanon(a.Value), nil
	case *array.Uint8:
		return intCanon(a.Value), nil
	case *array.Uint16:
		return intCanon(a.Value), nil
	case *array.Uint32:
		return intCanon(a.Value), nil
	case *array.Boolean:
		return func(dst []byte, i int) []byte { return strconv.AppendBool(dst, a.Value(i)) }, nil
	case *array.Float32:
		return func(dst []byte, i int) []byte { return appendFloat(dst, float64(a.Value(i))) }, nil
	case *array.Float64:
		return func(dst []byte, i int) []byte { return appendFloat(dst, a.Value(i)) }, nil
	case *array.String:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }, nil
	case *array.LargeString:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }, nil
	case *array.Binary:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }, nil
	case *array.Date32:
		return func(dst []byte, i int) []byte { return a.Value(i).ToTime().AppendFormat(dst, "2006-01-02") }, nil
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return func(dst []byte, i int) []byte {
			return a.Value(i).ToTime(unit).UTC().AppendFormat(dst, time.RFC3339Nano)
		}, nil
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return decimal128Canon(a, scale), nil
	case *array.Decimal64:
		scale := a.DataType().(*arrow.Decimal64Type).Scale
		return func(dst []byte, i int) []byte { return appendDecimal(dst, int64(a.Value(i)), scale) }, nil
	case *array.Decimal32:
		scale := a.DataType().(*arrow.Decimal32Type).Scale
		return func(dst []byte, i int) []byte { return appendDecimal(dst, int64(a.Value(i)), scale) }, nil
	case *array.Dictionary:
		values, err := valueCanonicalizer(a.Dictionary())
		if err != nil {
			return nil, err
		}
		return func(dst []byte, i int) []byte { return values(dst, a.GetValueIndex(i)) }, nil
	}
	return nil, fmt.Errorf("cannot checksum type %s", c.DataType())
}

func intCanon[T int8 | int16 | int32 | int64 | uint8 | uint16 | uint32](value func(int) T) canonFunc {
	return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(value(i)), 10) }
}

// appendFloat renders a float to ten significant digits, enough to hide
// summation-order differences and far more than a report needs.
func appendFloat(dst []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "NaN"...)
	case v == 0:
		return append(dst, '0')
	}
	return strconv.AppendFloat(dst, v, 'g', 10, 64)
}

func decimal128Canon(a *array.Decimal128, scale int32) canonFunc {
	return func(dst []byte, i int) []byte {
		n := a.Value(i)
		hi, lo := n.HighBits(), n.LowBits()
		if (hi == 0 && lo <= math.MaxInt64) || (hi == -1 && lo > math.MaxInt64) {
			return appendDecimal(dst, int64(lo), scale)
		}
		return append(dst, trimDecimal(n.ToString(scale))...)
	}
}

// appendDecimal renders unscaled×10^-scale exactly, without trailing
// fractional zeros.
func appendDecimal(dst []byte, unscaled int64, scale int32) []byte {
	for scale > 0 && unscaled%10 == 0 {
		unscaled /= 10
		scale--
	}
	if scale <= 0 {
		dst = strconv.AppendInt(dst, unscaled, 10)
		for ; scale < 0; scale++ {
			dst = append(dst, '0')
		}
		return dst
	}
	if unscaled < 0 {
		dst = append(dst, '-')
	}
	digits := strconv.FormatUint(absInt(unscaled), 10)
	if len(digits) <= int(scale) {
		digits = strings.Repeat("0", int(scale)-len(digits)+1) + digits
	}
	at := len(digits) - int(scale)
	return append(append(append(dst, digits[:at]...), '.'), digits[at:]...)
}

func absInt(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// trimDecimal drops trailing fractional zeros from decimal text.
func trimDecimal(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}

func fnv1a(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// mix is splitmix64's finalizer: it spreads the hash bits so that the
// sum of row hashes is sensitive to every row.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}
