//go:build tools

// Package tools pins the Nomad agent that Drover's cluster tests and demos
// run against. It is its own module so the main module never requires
// server code; `make tools-nomad` builds it into bin/nomad.
package tools

import _ "github.com/hashicorp/nomad"
