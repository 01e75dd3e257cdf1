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
	for off := int64(0); off < size; off += target {
		out = append(out, format.Split{URL: file.URL(), Size: size, Offset: off, Length: min(target, size-off)})
	}
	return out, nil
}
