// Command piimask is an example Drover UDF plugin that masks personal
// data: a transform that rewrites chosen string columns in place
// (piimask.mask) and a scalar for expressions (piimask.initials).
//
//	go build -o bin/plugins/piimask ./plugins/piimask
//
//	plugin "piimask" { source = "bin/plugins/piimask" }
//	view "safe" {
//	  from      = "customers"
//	  transform = "piimask.mask"
//	  args      = { columns = "name", mode = "hash", salt = "2026" }
//	}
package main
