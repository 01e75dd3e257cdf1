package parquetfmt

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/snappy"
)

// TestSnappyCodecIsTheFastEncoder: Parquet's Snappy codec is fastSnappy,
// and what it encodes is plain Snappy: the reference-compatible decoder
// gives the input back, for incompressible, repetitive and tiny blocks.
func TestSnappyCodecIsTheFastEncoder(t *testing.T) {
	c, err := compress.GetCodec(compress.Codecs.Snappy)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.(fastSnappy); !ok {
		t.Fatalf("Snappy codec is %T, want fastSnappy", c)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 1<<20)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	repetitive := bytes.Repeat([]byte("l_orderkey=42|1996-03-13|"), 50_000)
	for name, in := range map[string][]byte{"random": random, "repetitive": repetitive, "tiny": []byte("abc"), "empty": nil} {
		enc := c.Encode(make([]byte, c.CompressBound(int64(len(in)))), in)
		out, err := snappy.Decode(nil, enc)
		if err != nil || !bytes.Equal(out, in) {
			t.Errorf("%s: decode of the encoded block: %v (equal %v)", name, err, bytes.Equal(out, in))
		}
		if name == "repetitive" && len(enc) > len(in)/10 {
			t.Errorf("repetitive: %d bytes encoded to %d", len(in), len(enc))
		}
	}
}
