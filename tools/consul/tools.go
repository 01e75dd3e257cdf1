//go:build tools

// Package tools pins the Consul agent that Drover's cluster tests and demos
// run against. It is its own module so the main module never requires
// server code; `make tools-consul` builds it into bin/consul.
package tools

import _ "github.com/hashicorp/consul"
