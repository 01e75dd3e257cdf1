package mapstatus

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"

	"github.com/drover-etl/drover/task"
)

// magic starts every map status object; the byte after it is the format
// version.
const magic = "DRMS"

const formatVersion = 1

// Encode lays out outs as: magic, version, map count, then per map output
// its URL and its byte and row counts (uvarints, lengths first), then a
// CRC-32C of everything before it.
func Encode(outs []task.MapOutput) []byte {
	b := append([]byte(magic), formatVersion)
	b = binary.AppendUvarint(b, uint64(len(outs)))
	for _, o := range outs {
		b = binary.AppendUvarint(b, uint64(len(o.URL)))
		b = append(b, o.URL...)
		b = appendCounts(b, o.Bytes)
		b = appendCounts(b, o.Rows)
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func appendCounts(b []byte, vs []int64) []byte {
	b = binary.AppendUvarint(b, uint64(len(vs)))
	for _, v := range vs {
		b = binary.AppendUvarint(b, uint64(v))
	}
	return b
}

// Decode reverses Encode; any damage is an ErrCorrupt.
func Decode(b []byte) ([]task.MapOutput, error) {
	if len(b) < len(magic)+1+4 || string(b[:len(magic)]) != magic {
		return nil, fmt.Errorf("%w: no map status header", ErrCorrupt)
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	if v := body[len(magic)]; v != formatVersion {
		return nil, fmt.Errorf("%w: format version %d, want %d", ErrCorrupt, v, formatVersion)
	}
	d := decoder{b: body[len(magic)+1:]}
	outs := make([]task.MapOutput, d.count())
	for i := range outs {
		outs[i].URL = string(d.bytes(d.count()))
		outs[i].Bytes = d.counts()
		outs[i].Rows = d.counts()
	}
	if d.err == nil && len(d.b) > 0 {
		d.err = fmt.Errorf("%d bytes after the last map output", len(d.b))
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, d.err)
	}
	return outs, nil
}

// decoder reads uvarints, remembering the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = fmt.Errorf("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count is a length, checked against the bytes left (each element takes
// at least one), so a damaged length cannot ask for a huge allocation.
func (d *decoder) count() int {
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.b)) {
		d.err = fmt.Errorf("length %d past the end", n)
		return 0
	}
	return int(n)
}

func (d *decoder) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	b := d.b[:n]
	d.b = d.b[n:]
	return b
}

func (d *decoder) counts() []int64 {
	vs := make([]int64, d.count())
	for i := range vs {
		vs[i] = int64(d.uvarint())
	}
	return vs
}
