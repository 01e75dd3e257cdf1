package sortkey

import "unsafe"

// unsafeBytes views s without copying; the bytes are only read.
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
