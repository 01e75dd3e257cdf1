//go:build !linux

package udf

import "errors"

// sharedMemory is off here: batches travel inline.
const sharedMemory = false

var errNoSharedMemory = errors.New("shared memory regions need Linux")

func createRegion(int) (*region, error)  { return nil, errNoSharedMemory }
func openRegion(string) (*region, error) { return nil, errNoSharedMemory }
func (r *region) unmap()                 {}
