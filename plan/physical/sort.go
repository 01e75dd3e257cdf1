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

// limit keeps N rows: each partition keeps its first N (or, above a sort,
// its top N), then one task picks the final N from those.
func (p *planner) limit(l *logical.Limit) (*Node, error) {
	if s, ok := l.Input.(*logical.Sort); ok {
		in, err := p.plan(s.Input)
		if err != nil {
			return nil, err
		}
		local := &Node{Op: OpTopN, Inputs: []*Node{in}, Schema: s.Schema(), Sort: &SortSpec{Keys: s.Keys}, Limit: l.N}
		ex := exchange(local, &ExchangeSpec{Kind: PartSingle, Partitions: 1})
		return &Node{Op: OpTopN, Inputs: []*Node{ex}, Schema: s.Schema(), Sort: &SortSpec{Keys: s.Keys}, Limit: l.N}, nil
	}
	in, err := p.plan(l.Input)
	if err != nil {
		return nil, err
	}
	local := &Node{Op: OpLimit, Inputs: []*Node{in}, Schema: l.Schema(), Limit: l.N}
	ex := exchange(local, &ExchangeSpec{Kind: PartSingle, Partitions: 1})
	return &Node{Op: OpLimit, Inputs: []*Node{ex}, Schema: l.Schema(), Limit: l.N}, nil
}
