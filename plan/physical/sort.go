package physical

import (
	"github.com/drover-etl/drover/plan/logical"
)

// sort plans a global sort: rows are range-partitioned on the sort keys
// (bounds sampled at run time), then each partition sorts itself, so
// partition i holds keys below partition i+1's and the output is ordered
// across partitions and files.
func (p *planner) sort(s *logical.Sort) (*Node, error) {
	in, err := p.plan(s.Input)
	if err != nil {
		return nil, err
	}
	ex := exchange(in, &ExchangeSpec{Kind: PartRange, SortKeys: s.Keys, Partitions: p.cfg.Partitions})
	return &Node{Op: OpSort, Inputs: []*Node{ex}, Schema: s.Schema(), Sort: &SortSpec{Keys: s.Keys}}, nil
}

// limit skips Offset rows and keeps N: each partition keeps its first
// Offset+N (or, above a sort, its top Offset+N), then one task skips and
// picks from those. An OFFSET alone has no per-partition bound: above a
// sort it reads the range-partitioned, sorted partitions in order through
// one exchange; otherwise it gathers all rows.
func (p *planner) limit(l *logical.Limit) (*Node, error) {
	if s, ok := l.Input.(*logical.Sort); ok && !l.Unbounded() {
		in, err := p.plan(s.Input)
		if err != nil {
			return nil, err
		}
		local := &Node{Op: OpTopN, Inputs: []*Node{in}, Schema: s.Schema(), Sort: &SortSpec{Keys: s.Keys}, Limit: l.End()}
		ex := exchange(local, &ExchangeSpec{Kind: PartSingle, Partitions: 1})
		return &Node{Op: OpTopN, Inputs: []*Node{ex}, Schema: s.Schema(), Sort: &SortSpec{Keys: s.Keys}, Limit: l.N, Offset: l.Offset}, nil
	}
	in, err := p.plan(l.Input)
	if err != nil {
		return nil, err
	}
	if !l.Unbounded() {
		in = &Node{Op: OpLimit, Inputs: []*Node{in}, Schema: l.Schema(), Limit: l.End()}
	}
	ex := exchange(in, &ExchangeSpec{Kind: PartSingle, Partitions: 1})
	return &Node{Op: OpLimit, Inputs: []*Node{ex}, Schema: l.Schema(), Limit: l.N, Offset: l.Offset}, nil
}
