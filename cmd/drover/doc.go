// Command drover runs Drover jobs: locally (run), explained (explain), and
// the helpers around them. Each subcommand only wires library packages.
package main
