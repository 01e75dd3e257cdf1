package dataset

import "errors"

var (
	// ErrLayout is a set of files whose key=value directories disagree
	// (other keys, or some files partitioned and others not).
	ErrLayout = errors.New("inconsistent partition directories")
	// ErrPartitionValue is a directory value that does not convert to its
	// partition column's type.
	ErrPartitionValue = errors.New("bad partition value")
	// ErrSchemaConflict is two files of one dataset that give a column
	// types no common type holds.
	ErrSchemaConflict = errors.New("conflicting file schemas")
)
