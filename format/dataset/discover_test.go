package dataset

import (
	"errors"
	"reflect"
	"testing"

	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/local"
)

func TestPartitionDirs(t *testing.T) {
	tests := []struct {
		name, key string
		want      []segment
		err       error
	}{
		{"plain", "out/day=2026-11-20/region=eu/part-0.parquet",
			[]segment{{key: "day", value: "2026-11-20"}, {key: "region", value: "eu"}}, nil},
		{"escaped", "out/s=a%2Fb%3Dc%25/part-0.csv", []segment{{key: "s", value: "a/b=c%"}}, nil},
		{"null", "out/k=__HIVE_DEFAULT_PARTITION__/f.csv", []segment{{key: "k", value: HiveNull, null: true}}, nil},
		{"empty value", "out/s=/f.csv", []segment{{key: "s", value: ""}}, nil},
		{"other dirs skipped", "out/2026/day=1/raw/f.csv", []segment{{key: "day", value: "1"}}, nil},
		{"file name is no directory", "out/x=1.csv", nil, nil},
		{"value with =", "out/e=a=b/f.csv", []segment{{key: "e", value: "a=b"}}, nil},
		{"key twice", "out/a=1/A=2/f.csv", nil, ErrLayout},
		{"not below the path", "other/a=1/f.csv", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := partitionDirs("out/", tt.key)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if tt.err == nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "plain", "%2F": "/", "50%25": "50%", "100%": "100%", "%zz": "%zz", "%4": "%4", "a%3Ab%3a": "a:b:",
	} {
		if got := unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBaseKey(t *testing.T) {
	for in, want := range map[string]string{
		"data/out":              "data/out/",
		"data/out/":             "data/out/",
		"data/day=*/*.csv":      "data/",
		"data/day=2026-*/r=eu/": "data/",
		"*.csv":                 "",
	} {
		if got := baseKey(in); got != want {
			t.Errorf("baseKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLayoutRejectsMixedLevels(t *testing.T) {
	files := []storage.Location{
		{Store: localStore(t), Key: "out/day=1/a.csv"},
		{Store: localStore(t), Key: "out/b.csv"},
	}
	_, _, err := layout("out/", files)
	if !errors.Is(err, ErrLayout) {
		t.Fatalf("err = %v, want ErrLayout", err)
	}
	t.Log(err)
	for _, name := range []string{"out/day=1/a.csv", "out/b.csv", "[day]", "[]"} {
		if !contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}
