package hashtab

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"
)

// checkIDs checks that ids number the keys densely in first-seen order,
// equal keys alike, against a map.
func checkIDs[K comparable](t *testing.T, keys []K, ids []int32, seen map[K]int32) {
	t.Helper()
	for i, k := range keys {
		want, ok := seen[k]
		if !ok {
			want = int32(len(seen))
			seen[k] = want
		}
		if ids[i] != want {
			t.Fatalf("row %d (key %v): id %d, want %d", i, k, ids[i], want)
		}
	}
}

func TestInt64(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rng   int64
		nulls bool
	}{{"few", 10, false}, {"many", 1 << 20, true}, {"spread", 1 << 62, true}} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			tab := NewInt64(0)
			seen := map[string]int32{}
			for range 20 { // batches: the table grows across them
				n := 1 + r.IntN(5000)
				keys, ids := make([]int64, n), make([]int32, n)
				var nulls []bool
				if tc.nulls {
					nulls = make([]bool, n)
				}
				names := make([]string, n)
				for i := range keys {
					keys[i] = r.Int64N(tc.rng) - tc.rng/2
					names[i] = fmt.Sprint(keys[i])
					if nulls != nil && r.IntN(50) == 0 {
						nulls[i], names[i] = true, "NULL"
					}
				}
				tab.FindOrInsert(keys, nulls, ids)
				checkIDs(t, names, ids, seen)
			}
			if tab.Len() != len(seen) {
				t.Fatalf("Len %d, want %d", tab.Len(), len(seen))
			}
			// Find: every key inserted, none of the others, NULL never.
			probe := []int64{tc.rng + 1, 0, -tc.rng - 1}
			for k, id := range seen {
				if k == "NULL" {
					continue
				}
				var v int64
				fmt.Sscan(k, &v)
				ids := make([]int32, 1)
				tab.Find([]int64{v}, nil, ids)
				if ids[0] != id || tab.Hash(id) != HashInt64(v) {
					t.Fatalf("Find(%d) = %d, want %d", v, ids[0], id)
				}
			}
			ids := make([]int32, len(probe))
			tab.Find(probe, []bool{false, true, false}, ids)
			if ids[0] != -1 || ids[1] != -1 || ids[2] != -1 {
				t.Fatalf("Find of absent keys / NULL: %v", ids)
			}
		})
	}
}

func TestInt64Pair(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	tab := NewInt64Pair(0)
	seen := map[string]int32{}
	for range 20 {
		n := 1 + r.IntN(5000)
		a, b, ids := make([]int64, n), make([]int64, n), make([]int32, n)
		na, nb := make([]bool, n), make([]bool, n)
		names := make([]string, n)
		for i := range a {
			a[i], b[i] = r.Int64N(300), r.Int64N(300)
			na[i], nb[i] = r.IntN(20) == 0, r.IntN(20) == 0
			if na[i] {
				a[i] = r.Int64N(300) // a NULL's value must not matter
			}
			if nb[i] {
				b[i] = r.Int64N(300)
			}
			names[i] = fmt.Sprint(cell(a[i], na[i]), ",", cell(b[i], nb[i]))
		}
		tab.FindOrInsert(a, b, na, nb, ids)
		checkIDs(t, names, ids, seen)
		// (0, x) with a NULL must differ from (0, x) without.
		got := make([]int32, n)
		tab.Find(a, b, na, nb, got)
		for i := range got {
			if got[i] != ids[i] {
				t.Fatalf("Find row %d = %d, want %d", i, got[i], ids[i])
			}
		}
	}
	ids := make([]int32, 2)
	tab.Find([]int64{1000, 0}, []int64{0, 0}, nil, []bool{false, false}, ids)
	if ids[0] != -1 {
		t.Fatalf("absent key found: %v", ids)
	}
	if tab.Len() != len(seen) {
		t.Fatalf("Len %d, want %d", tab.Len(), len(seen))
	}
}

func cell(v int64, null bool) string {
	if null {
		return "NULL"
	}
	return fmt.Sprint(v)
}

// encode lays out keys as one buffer and offsets.
func encode(keys []string) ([]byte, []int32) {
	var buf []byte
	offs := []int32{0}
	for _, k := range keys {
		buf = append(buf, k...)
		offs = append(offs, int32(len(buf)))
	}
	return buf, offs
}

func TestBytes(t *testing.T) {
	for _, tc := range []struct {
		name string
		hash func(string) uint64
	}{
		{"hashed", func(s string) uint64 {
			return Mix64(uint64(len(s)) ^ binary.LittleEndian.Uint64(append([]byte(s), 0, 0, 0, 0, 0, 0, 0, 0)))
		}},
		// Every key with one of four hashes: keys are told apart by their bytes.
		{"colliding", func(s string) uint64 { return uint64(len(s)%4) << 62 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(5, 6))
			tab := NewBytes(0)
			seen := map[string]int32{}
			for range 10 {
				n := 1 + r.IntN(2000)
				keys := make([]string, n)
				hashes, ids := make([]uint64, n), make([]int32, n)
				for i := range keys {
					keys[i] = fmt.Sprint(r.IntN(3000))
					if r.IntN(30) == 0 {
						keys[i] = "" // an empty key is a key
					}
					hashes[i] = tc.hash(keys[i])
				}
				buf, offs := encode(keys)
				tab.FindOrInsert(buf, offs, hashes, ids)
				checkIDs(t, keys, ids, seen)
				skip := make([]bool, n)
				skip[0] = true
				got := make([]int32, n)
				tab.Find(buf, offs, hashes, skip, got)
				if got[0] != -1 {
					t.Fatal("skipped row found")
				}
				for i := 1; i < n; i++ {
					if got[i] != ids[i] || string(tab.Key(ids[i])) != keys[i] {
						t.Fatalf("Find row %d = %d, want %d", i, got[i], ids[i])
					}
				}
			}
			buf, offs := encode([]string{"absent", "x"})
			ids := make([]int32, 2)
			tab.Find(buf, offs, []uint64{tc.hash("absent"), tc.hash("x")}, nil, ids)
			if ids[0] != -1 || ids[1] != -1 {
				t.Fatalf("absent keys found: %v", ids)
			}
			if tab.Len() != len(seen) {
				t.Fatalf("Len %d, want %d", tab.Len(), len(seen))
			}
		})
	}
}

func TestPartitionSpreads(t *testing.T) {
	// Hashes sharing their low bits (one shuffle partition's keys) still
	// spread over every partition, differently per seed.
	counts := make([][16]int, 2)
	for seed := range uint64(2) {
		for i := range uint64(1 << 14) {
			counts[seed][Partition(i<<4, seed, 16)]++
		}
	}
	for seed, c := range counts {
		for p, n := range c {
			if n < 1<<14/16/2 {
				t.Fatalf("seed %d: partition %d got %d of %d", seed, p, n, 1<<14)
			}
		}
	}
	same := 0
	for i := range uint64(1000) {
		if Partition(i, 0, 16) == Partition(i, 1, 16) {
			same++
		}
	}
	if same > 150 {
		t.Fatalf("seeds 0 and 1 agree on %d of 1000 keys", same)
	}
}
