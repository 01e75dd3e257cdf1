package main

import "testing"

func TestClusterEventLogDirIsBesideTheShuffleDir(t *testing.T) {
	cases := map[string]string{
		"s3://etl/x/shuffle":  "s3://etl/x/events",
		"s3://etl/x/shuffle/": "s3://etl/x/events",
		"s3://etl/shuffle":    "s3://etl/events",
		"s3://shuffle":        "s3://shuffle/_events",
		"/tmp/shuffle":        "/tmp/events",
	}
	for in, want := range cases {
		if got := clusterEventLogDir(in); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}
