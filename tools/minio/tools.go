//go:build tools

// Package tools pins the MinIO server that Drover's tests and demos run
// against. It is its own module so the main module never requires server
// code; `make tools-minio` builds it into bin/minio.
package tools

import _ "github.com/minio/minio"
