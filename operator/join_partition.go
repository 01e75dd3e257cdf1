package operator

import (
	"bytes"
	"context"
	"encoding/binary"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/operator/hashtab"
)

// graceFanout is how many partitions a spilling hash join splits each side
// into per level.
const graceFanout = 16

// graceSeed is the hash seed of recursion level: never 0, which shuffle
// partitioning uses (a join input is one shuffle partition, so its keys
// share their shuffle hash modulo the partition count).
func graceSeed(level int) uint64 { return 0x9E3779B97F4A7C15 * uint64(level+1) }

// keyHasher splits a batch's rows into partitions by the hash of their
// join keys. It keys rows exactly as hashMatcher matches them — the same
// layout (integer keys widened to int64, so INT and BIGINT keys that match
// land together; other keys by their encoding) and the same hash the
// table keys them by — so rows that can match always share a partition.
// Rows that cannot match (NULL keys) land somewhere too: outer, anti and
// mark joins still emit them.
type keyHasher struct {
	evals    []*eval.Evaluator
	nullSafe []bool // per key; nil when none is
	seed     uint64

	kb   keyBatch
	kc   []arrow.Array
	dead []bool // rows that cannot match (nil: none)
	buf  [18]byte
}

// split evaluates rec's keys and lists its rows per partition, and apart
// the rows that cannot match anything: a NULL in a key that is not
// null-safe.
func (h *keyHasher) split(ctx context.Context, rec arrow.RecordBatch) (parts [][]int32, dead []int32, err error) {
	if err := h.evaluate(ctx, rec); err != nil {
		return nil, nil, err
	}
	parts = make([][]int32, graceFanout)
	for i := range int(rec.NumRows()) {
		if h.dead != nil && h.dead[i] {
			dead = append(dead, int32(i))
			continue
		}
		p := hashtab.Partition(h.kb.hash(i), h.seed, graceFanout)
		parts[p] = append(parts[p], int32(i))
	}
	return parts, dead, nil
}

func (h *keyHasher) evaluate(ctx context.Context, rec arrow.RecordBatch) error {
	h.release()
	kc, err := evalAll(ctx, h.evals, rec)
	if err != nil {
		return evalFailed(err)
	}
	h.kc = kc
	n := int(rec.NumRows())
	if err := h.kb.prepare(kc, n, kindOf(kc, h.nullSafe == nil)); err != nil {
		return err
	}
	h.dead = nil
	for c, col := range kc {
		if (h.nullSafe != nil && h.nullSafe[c]) || col.NullN() == 0 {
			continue
		}
		if h.dead == nil {
			h.dead = make([]bool, n)
		}
		for i := range h.dead {
			h.dead[i] = h.dead[i] || col.IsNull(i)
		}
	}
	return nil
}

// key is row i's key bytes (valid until the next call): its encoding, or
// its widened integers and NULL flags.
func (h *keyHasher) key(i int) []byte {
	switch h.kb.kind {
	case kindInt, kindPair:
		f := hashtab.PairNulls(h.kb.na, h.kb.nb, i)
		a := h.kb.a[i]
		if f&1 != 0 {
			a = 0
		}
		b := binary.LittleEndian.AppendUint64(append(h.buf[:0], f), uint64(a))
		if h.kb.kind == kindPair {
			v := h.kb.b[i]
			if f&2 != 0 {
				v = 0
			}
			b = binary.LittleEndian.AppendUint64(b, uint64(v))
		}
		return b
	}
	return h.kb.enc.Row(i)
}

// describe renders row i's key for an error message.
func (h *keyHasher) describe(i int) string {
	cells := make([]string, len(h.kc))
	for c, col := range h.kc {
		cells[c] = eval.ValueAt(col, i).String()
	}
	return "(" + strings.Join(cells, ", ") + ")"
}

func (h *keyHasher) release() {
	releaseAll(h.kc)
	h.kc = nil
}

// sameKey tracks whether every row seen so far has one key, to tell a
// partition that cannot be split from one that merely did not fit.
// It also counts the partition's build rows and bytes, for that error.
type sameKey struct {
	first       []byte
	text        string
	mixed       bool
	rows, bytes int64
}

func (s *sameKey) see(h *keyHasher, rows []int32) {
	for _, i := range rows {
		if s.mixed {
			return
		}
		k := h.key(int(i))
		switch {
		case s.first == nil:
			s.first, s.text = bytes.Clone(k), h.describe(int(i))
		case !bytes.Equal(s.first, k):
			s.mixed = true
		}
	}
}
