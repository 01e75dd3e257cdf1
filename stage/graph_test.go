package stage

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

var schema = types.NewSchema(types.Field{Name: "x", Type: types.Int64Type})

func scan(splits int) *physical.Node {
	return &physical.Node{Op: physical.OpScan, Schema: schema, Scan: &physical.ScanSpec{Source: "s", Splits: make([]format.Split, splits)}}
}

func exchange(kind physical.Partitioning, parts int, in *physical.Node) *physical.Node {
	return &physical.Node{Op: physical.OpExchange, Schema: schema, Inputs: []*physical.Node{in}, Exchange: &physical.ExchangeSpec{Kind: kind, Partitions: parts}}
}

func write(in *physical.Node) *physical.Node {
	return &physical.Node{Op: physical.OpWrite, Schema: schema, Inputs: []*physical.Node{in}, Write: &physical.WriteSpec{Sink: "out"}}
}

func TestCutAtExchanges(t *testing.T) {
	cases := []struct {
		name string
		root *physical.Node
		want string // "id:tasks:parents" per stage
	}{
		{"scan only", write(scan(3)), "0:3:[]"},
		{"hash exchange", write(exchange(physical.PartHash, 5, scan(3))), "0:3:[] 1:5:[0]"},
		{"single", write(exchange(physical.PartSingle, 1, scan(3))), "0:3:[] 1:1:[0]"},
		{"broadcast join keeps probe partitions", write(&physical.Node{Op: physical.OpHashJoin, Schema: schema, Join: &physical.JoinSpec{Type: logical.InnerJoin},
			Inputs: []*physical.Node{scan(4), exchange(physical.PartBroadcast, 1, scan(2))}}), "0:2:[] 1:4:[0]"},
		{"union adds partitions", write(&physical.Node{Op: physical.OpUnion, Schema: schema,
			Inputs: []*physical.Node{scan(2), exchange(physical.PartHash, 3, scan(1))}}), "0:1:[] 1:5:[0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := Build([]*physical.Node{c.root})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, st := range g.Stages {
				got = append(got, strings.Join([]string{itoa(st.ID), itoa(st.Partitions), fmtInts(st.Parents)}, ":"))
				if st.ID > 0 && st.IsSink() != (st.ID == len(g.Stages)-1) {
					t.Errorf("stage %d: sink flag wrong", st.ID)
				}
			}
			if strings.Join(got, " ") != c.want {
				t.Fatalf("got %v, want %s\n%s", got, c.want, g.Format())
			}
		})
	}
}

func TestMismatchedJoinInputsAreAnError(t *testing.T) {
	join := &physical.Node{Op: physical.OpHashJoin, Schema: schema, Join: &physical.JoinSpec{},
		Inputs: []*physical.Node{exchange(physical.PartHash, 4, scan(1)), exchange(physical.PartHash, 3, scan(1))}}
	if _, err := Build([]*physical.Node{write(join)}); err == nil {
		t.Fatal("joining 4 and 3 partitions built a graph")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func fmtInts(is []int) string { return fmt.Sprint(is) }
