package textfile

import (
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/compress"
	"github.com/drover-etl/drover/storage"
)

// whole is the one split of a file that is not cut.
func whole(file storage.Location, size int64) []format.Split {
	return []format.Split{{URL: file.URL(), Size: size}}
}

// splittable reports whether a file of size bytes is worth cutting and
// can be: uncompressed and larger than the target.
func splittable(file storage.Location, size, target int64, compression string) (bool, error) {
	codec, err := compress.ForFile(file.URL(), compression)
	if err != nil {
		return false, err
	}
	return codec == compress.None && target > 0 && size > target, nil
}

// SplitRanges cuts a line-per-record file into byte ranges of about
// target bytes; readers take the lines that start in their range.
func SplitRanges(file storage.Location, size, target int64, compression string) ([]format.Split, error) {
	ok, err := splittable(file, size, target, compression)
	if err != nil || !ok {
		return whole(file, size), err
	}
	var out []format.Split
	for off := int64(0); off < size; {
		n := target
		if size-off <= target+slop(target) {
			n = size - off // the rest: no tiny last range
		}
		out = append(out, format.Split{URL: file.URL(), Size: size, Offset: off, Length: n})
		off += n
	}
	return out, nil
}

// slop is how far past target a last split may run rather than leave a
// split of a few bytes: a tenth.
func slop(target int64) int64 { return target / 10 }
