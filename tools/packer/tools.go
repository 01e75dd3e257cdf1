//go:build tools

// Package tools pins the Packer CLI that builds Drover's node image
// (packer/). It is its own module so the main module never requires
// Packer's code; `make tools-packer` builds it into bin/packer.
package tools

import _ "github.com/hashicorp/packer"
