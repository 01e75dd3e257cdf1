package parquetfmt

import (
	"io"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/snappy"
)

// fastSnappy is arrow-go's Snappy codec with the faster encoder: arrow-go
// encodes through klauspost's snappy package, which uses s2's "better"
// mode, and that was 17 % of the CPU of writing a sorted orders table
// (50 MiB of Parquet). s2.EncodeSnappy writes the same Snappy format
// (any reader decodes it), about twice as fast, a few percent larger.
// Decoding is arrow-go's.
type fastSnappy struct{}

func init() { compress.RegisterCodec(compress.Codecs.Snappy, fastSnappy{}) }

func (fastSnappy) Encode(dst, src []byte) []byte { return s2.EncodeSnappy(dst, src) }

func (fastSnappy) EncodeLevel(dst, src []byte, _ int) []byte { return s2.EncodeSnappy(dst, src) }

func (fastSnappy) CompressBound(n int64) int64 { return int64(snappy.MaxEncodedLen(int(n))) }

func (c fastSnappy) Decode(dst, src []byte) []byte {
	out, err := c.DecodeWithError(dst, src)
	if err != nil {
		panic(err) // as arrow-go's codec; readers call DecodeWithError
	}
	return out
}

func (fastSnappy) DecodeWithError(dst, src []byte) ([]byte, error) { return snappy.Decode(dst, src) }

func (fastSnappy) NewReader(r io.Reader) io.ReadCloser { return io.NopCloser(snappy.NewReader(r)) }

func (fastSnappy) NewWriter(w io.Writer) io.WriteCloser { return snappy.NewBufferedWriter(w) }

func (c fastSnappy) NewWriterLevel(w io.Writer, _ int) (io.WriteCloser, error) {
	return c.NewWriter(w), nil
}
