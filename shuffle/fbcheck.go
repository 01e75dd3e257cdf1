package shuffle

import (
	"encoding/binary"
	"errors"
)

// errBadMetadata: an IPC message whose flatbuffer metadata points outside
// itself or claims vectors longer than it could hold.
var errBadMetadata = errors.New("corrupt IPC message metadata")

// checkMessage walks the flatbuffer metadata of one Arrow IPC message
// (Message.fbs, Schema.fbs) before arrow-go decodes it: arrow-go sizes
// slices by the vector lengths it finds there, so a corrupt length would
// allocate gigabytes and kill the process instead of failing the task.
// Every offset must stay inside buf and every vector must fit in it.
func checkMessage(buf []byte) error {
	f := fbuf(buf)
	root, ok := f.u32(0)
	if !ok {
		return errBadMetadata
	}
	return f.message(int(root))
}

type fbuf []byte

func (f fbuf) u32(pos int) (uint32, bool) {
	if pos < 0 || pos+4 > len(f) {
		return 0, false
	}
	return binary.LittleEndian.Uint32(f[pos:]), true
}

func (f fbuf) u16(pos int) (uint16, bool) {
	if pos < 0 || pos+2 > len(f) {
		return 0, false
	}
	return binary.LittleEndian.Uint16(f[pos:]), true
}

// field returns the position of a table's field (0: absent).
func (f fbuf) field(tab, slot int) (int, error) {
	soff, ok := f.u32(tab)
	if !ok {
		return 0, errBadMetadata
	}
	vt := tab - int(int32(soff))
	vtLen, ok := f.u16(vt)
	if !ok || vtLen < 4 {
		return 0, errBadMetadata
	}
	if 4+2*slot >= int(vtLen) {
		return 0, nil
	}
	off, ok := f.u16(vt + 4 + 2*slot)
	if !ok {
		return 0, errBadMetadata
	}
	if off == 0 {
		return 0, nil
	}
	return tab + int(off), nil
}

// ref follows the offset stored in a table's field (0: absent).
func (f fbuf) ref(tab, slot int) (int, error) {
	pos, err := f.field(tab, slot)
	if err != nil || pos == 0 {
		return 0, err
	}
	off, ok := f.u32(pos)
	if !ok || pos+int(off) >= len(f) {
		return 0, errBadMetadata
	}
	return pos + int(off), nil
}

// vector returns the start and length of a vector field whose elements
// take size bytes each; a vector that cannot fit is an error.
func (f fbuf) vector(tab, slot, size int) (start, n int, err error) {
	pos, err := f.ref(tab, slot)
	if err != nil || pos == 0 {
		return 0, 0, err
	}
	l, ok := f.u32(pos)
	if !ok || int64(l)*int64(size) > int64(len(f)-pos-4) {
		return 0, 0, errBadMetadata
	}
	return pos + 4, int(l), nil
}

// tables checks a vector of tables with check.
func (f fbuf) tables(tab, slot int, check func(int) error) error {
	start, n, err := f.vector(tab, slot, 4)
	for i := 0; err == nil && i < n; i++ {
		off, _ := f.u32(start + 4*i)
		t := start + 4*i + int(off)
		if t >= len(f) {
			return errBadMetadata
		}
		err = check(t)
	}
	return err
}

// Message: version, header_type, header, bodyLength, custom_metadata.
func (f fbuf) message(t int) error {
	if err := f.tables(t, 4, f.keyValue); err != nil {
		return err
	}
	typ, err := f.byteField(t, 1)
	if err != nil {
		return err
	}
	header, err := f.ref(t, 2)
	if err != nil || header == 0 {
		return err
	}
	switch typ {
	case 1:
		return f.schema(header)
	case 2: // DictionaryBatch: id, data, isDelta
		data, err := f.ref(header, 1)
		if err != nil || data == 0 {
			return err
		}
		return f.recordBatch(data)
	case 3:
		return f.recordBatch(header)
	}
	return nil
}

// Schema: endianness, fields, custom_metadata, features.
func (f fbuf) schema(t int) error {
	if _, _, err := f.vector(t, 3, 8); err != nil {
		return err
	}
	if err := f.tables(t, 2, f.keyValue); err != nil {
		return err
	}
	return f.tables(t, 1, func(c int) error { return f.arrowField(c, 0) })
}

// Field: name, nullable, type_type, type, dictionary, children,
// custom_metadata. Nesting deeper than any real schema is refused.
func (f fbuf) arrowField(t, depth int) error {
	if depth > 64 {
		return errBadMetadata
	}
	if err := f.tables(t, 6, f.keyValue); err != nil {
		return err
	}
	if err := f.unionTypeIDs(t); err != nil {
		return err
	}
	return f.tables(t, 5, func(c int) error { return f.arrowField(c, depth+1) })
}

// unionTypeIDs checks the one vector a type table holds: Union's typeIds
// (Type 14; slot 1).
func (f fbuf) unionTypeIDs(field int) error {
	tt, err := f.byteField(field, 2)
	if err != nil || tt != 14 {
		return err
	}
	typ, err := f.ref(field, 3)
	if err != nil || typ == 0 {
		return err
	}
	_, _, err = f.vector(typ, 1, 4)
	return err
}

func (f fbuf) byteField(t, slot int) (byte, error) {
	pos, err := f.field(t, slot)
	if err != nil || pos == 0 {
		return 0, err
	}
	if pos >= len(f) {
		return 0, errBadMetadata
	}
	return f[pos], nil
}

// RecordBatch: length, nodes (16-byte structs), buffers (16-byte
// structs), compression, variadicBufferCounts.
func (f fbuf) recordBatch(t int) error {
	for _, v := range [][2]int{{1, 16}, {2, 16}, {4, 8}} {
		if _, _, err := f.vector(t, v[0], v[1]); err != nil {
			return err
		}
	}
	return nil
}

// KeyValue: key, value (strings: byte vectors).
func (f fbuf) keyValue(t int) error {
	for slot := 0; slot < 2; slot++ {
		if _, _, err := f.vector(t, slot, 1); err != nil {
			return err
		}
	}
	return nil
}

// batchBuffers returns the (offset, length) of each body buffer of a
// record or dictionary batch message, and whether the body is compressed
// (nil for other messages). checkMessage must have passed.
func batchBuffers(meta []byte) (bufs [][2]int64, compressed bool, err error) {
	f := fbuf(meta)
	root, _ := f.u32(0)
	typ, err := f.byteField(int(root), 1)
	if err != nil || (typ != 2 && typ != 3) {
		return nil, false, err
	}
	batch, err := f.ref(int(root), 2)
	if err == nil && batch != 0 && typ == 2 {
		batch, err = f.ref(batch, 1)
	}
	if err != nil || batch == 0 {
		return nil, false, err
	}
	comp, err := f.ref(batch, 3)
	if err != nil {
		return nil, false, err
	}
	start, n, err := f.vector(batch, 2, 16)
	if err != nil {
		return nil, false, err
	}
	bufs = make([][2]int64, n)
	for i := range bufs {
		at := meta[start+16*i:]
		bufs[i] = [2]int64{int64(binary.LittleEndian.Uint64(at)), int64(binary.LittleEndian.Uint64(at[8:]))}
	}
	return bufs, comp != 0, nil
}
