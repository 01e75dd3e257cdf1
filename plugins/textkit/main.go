package main

import "github.com/drover-etl/drover/udf"

func main() {
	udf.Serve(&udf.Plugin{
		Scalars: map[string]udf.Scalar{
			// Pure functions of their argument: declared deterministic, so
			// a recomputed shuffle output does not rerun its readers.
			"slug":      udf.DeterministicScalar(udf.StringFunc("lower-case ASCII words joined by '-', accents removed", Slug)),
			"normalize": udf.DeterministicScalar(udf.StringFunc("Unicode NFKC, whitespace runs collapsed to one space, trimmed", Normalize)),
			"hash":      udf.DeterministicScalar(udf.StringToInt64("64-bit FNV-1a of the UTF-8 bytes", Hash)),
		},
		Transforms: map[string]udf.Transform{
			"score": scoreTransform,
		},
	})
}
