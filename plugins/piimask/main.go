package main

import "github.com/drover-etl/drover/udf"

func main() {
	udf.Serve(&udf.Plugin{
		Scalars: map[string]udf.Scalar{
			"initials": udf.StringFunc(`initials of each word: "Anna Müller" → "A. M."`, Initials),
		},
		Transforms: map[string]udf.Transform{
			"mask": maskTransform,
		},
	})
}
