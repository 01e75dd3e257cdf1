//go:build tools

// Package tools pins the Terraform CLI that provisions Drover's nodes
// (terraform/). It is its own module so the main module never requires
// Terraform's code; `make tools-terraform` builds it into bin/terraform.
package tools

import _ "github.com/hashicorp/terraform"
