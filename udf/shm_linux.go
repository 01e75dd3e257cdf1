//go:build linux

package udf

import (
	"fmt"
	"os"
	"syscall"
)

// sharedMemory: Linux has what regions need, including fallocate, which
// reserves a tmpfs file's pages up front. Without it a full /dev/shm would
// not fail a write but kill the writer with SIGBUS.
const sharedMemory = true

// shmDir is tmpfs where there is one: the pages never go to disk.
func shmDir() string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		return "/dev/shm"
	}
	return os.TempDir()
}

// createRegion makes and maps a region file of size bytes (executor side).
func createRegion(size int) (*region, error) {
	f, err := os.CreateTemp(shmDir(), "drover-udf-*.shm")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := syscall.Fallocate(int(f.Fd()), 0, 0, int64(size)); err != nil {
		os.Remove(f.Name())
		return nil, fmt.Errorf("reserve %d bytes of shared memory: %w", size, err)
	}
	r, err := mapRegion(f, size)
	if err != nil {
		os.Remove(f.Name())
		return nil, err
	}
	r.path, r.owner = f.Name(), true
	return r, nil
}

// openRegion maps a region the executor made (plugin side).
func openRegion(path string) (*region, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	r, err := mapRegion(f, int(st.Size()))
	if err != nil {
		return nil, err
	}
	r.path = path
	return r, nil
}

func mapRegion(f *os.File, size int) (*region, error) {
	data, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", f.Name(), err)
	}
	return &region{data: data}, nil
}

func (r *region) unmap() { syscall.Munmap(r.data) }
