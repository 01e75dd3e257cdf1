package optimizer

import (
	"errors"
	"fmt"
	"slices"

	"github.com/drover-etl/drover/plan/logical"
)

// DefaultBroadcastThreshold is the build-side size below which a join is
// broadcast when Config.BroadcastThresholdBytes is 0 (a little under
// Spark's 10 MB default).
const DefaultBroadcastThreshold = 8 << 20

// Config tunes the rules. The zero value means the defaults.
type Config struct {
	// BroadcastThresholdBytes: a join whose build side is estimated below
	// this many bytes is broadcast. 0 means DefaultBroadcastThreshold; any
	// negative value disables broadcast joins (every join is shuffled).
	BroadcastThresholdBytes int64
	// BroadcastProbeRatio, when above 0, holds a build side estimated past
	// DefaultBroadcastThreshold (and below BroadcastThresholdBytes) to a
	// probe side estimated at least this many times larger: a broadcast
	// join runs one task per probe split, so a large build side with a
	// probe side of a few files would run in few tasks (a local run's
	// budget-derived threshold sets it; an explicit threshold does not).
	BroadcastProbeRatio float64
	// Rules replaces DefaultRules when non-nil, for tests and for explain
	// runs that switch a rule off.
	Rules []Rule
}

func (c Config) broadcastThreshold() int64 {
	if c.BroadcastThresholdBytes == 0 {
		return DefaultBroadcastThreshold
	}
	return c.BroadcastThresholdBytes
}

func (c Config) rules() []Rule {
	if c.Rules != nil {
		return c.Rules
	}
	return DefaultRules()
}

// Rule is one named rewrite of a sink's tree. Apply must not modify its
// input (explain prints the plan before and after) and must keep the root's
// schema; it returns its input unchanged when it has nothing to do.
type Rule struct {
	Name  string
	Apply func(logical.Node, Config) (logical.Node, error)
}

// DefaultRules is the rule list Optimize applies, in order. Order matters:
// set operations are lowered before anything else looks at the tree;
// folding first gives pushdown simple literals to work with; factoring ORs
// first gives pushdown more conjuncts; pushdown leaves what it cannot push
// above outer joins, where outer_to_inner finds it, and puts the conditions
// of comma joins into the joins, where reordering finds them and join_keys
// makes keys of the equalities (push_semi_joins, after it, moves semi
// joins by their keys into the smaller side of an inner join, and
// filter_joined_groups semi-joins a grouped join side with the other
// side's filtered keys); pushdown before
// pruning lets the scan drop filter-only columns (Scan.Filters are bound
// against the table, not the projection); join strategy runs on pruned
// trees so size estimates see the real widths, and pruning runs again after
// it to trim the Projects that restore a swapped join's column order; the
// tidy-up rules last.
func DefaultRules() []Rule {
	return []Rule{
		LowerSetOps,
		FoldConstants,
		FactorOr,
		PushPredicates,
		OuterToInner,
		ReorderJoins,
		OrSideFilters,
		JoinKeys,
		PushSemiJoins,
		FilterJoinedGroups,
		PruneColumns,
		JoinStrategy,
		PruneColumns,
		MergeProjects,
		RemoveIdentityProjects,
		PushLimitIntoUnion,
	}
}

// Step is the plan after one rule; Changed says whether the rule rewrote it
// (judged by the explain text, which shows everything rules change).
type Step struct {
	Rule    string
	Plan    *logical.Plan
	Changed bool
}

// Optimize applies cfg's rules (DefaultRules unless set) to every sink and
// returns the optimized plan; p is not modified.
func Optimize(p *logical.Plan, cfg Config) (*logical.Plan, error) {
	steps, err := OptimizeTrace(p, cfg)
	if err != nil {
		return nil, err
	}
	if len(steps) == 0 {
		return p, nil
	}
	return steps[len(steps)-1].Plan, nil
}

// OptimizeTrace is Optimize returning the plan after each rule, so explain
// can show which rules fired. The input and every rule's output are checked
// with Validate; a failure names the rule.
func OptimizeTrace(p *logical.Plan, cfg Config) ([]Step, error) {
	if p == nil {
		return nil, fmt.Errorf("optimizer: %w: nil plan", ErrInvalidPlan)
	}
	if err := validatePlan(p); err != nil {
		return nil, fmt.Errorf("optimizer: input plan: %w", err)
	}
	var steps []Step
	cur := p
	for _, r := range cfg.rules() {
		next, err := applyRule(r, cur, cfg)
		if err != nil {
			return nil, err
		}
		changed := logical.FormatPlan(next) != logical.FormatPlan(cur)
		steps = append(steps, Step{Rule: r.Name, Plan: next, Changed: changed})
		cur = next
	}
	return steps, nil
}

// Fired lists the rules of a trace that changed the plan, each once (a
// rule may run twice, as prune_columns does), in the order they first fired.
func Fired(steps []Step) []string {
	var out []string
	for _, s := range steps {
		if s.Changed && !slices.Contains(out, s.Rule) {
			out = append(out, s.Rule)
		}
	}
	return out
}

func applyRule(r Rule, p *logical.Plan, cfg Config) (*logical.Plan, error) {
	out := &logical.Plan{Job: p.Job, Sinks: make([]*logical.Write, len(p.Sinks))}
	for i, w := range p.Sinks {
		n, err := r.Apply(w, cfg)
		if err != nil {
			return nil, fmt.Errorf("optimizer: rule %s, sink %s: %w", r.Name, w.Sink, err)
		}
		nw, ok := n.(*logical.Write)
		if !ok {
			return nil, fmt.Errorf("optimizer: rule %s, sink %s: %w: root is %T, not a Write", r.Name, w.Sink, ErrInvalidPlan, n)
		}
		if err := Validate(nw); err != nil {
			return nil, fmt.Errorf("optimizer: rule %s, sink %s: %w", r.Name, w.Sink, err)
		}
		out.Sinks[i] = nw
	}
	return out, nil
}

func validatePlan(p *logical.Plan) error {
	var errs []error
	for _, w := range p.Sinks {
		if w == nil {
			errs = append(errs, fmt.Errorf("%w: nil sink", ErrInvalidPlan))
			continue
		}
		if err := Validate(w); err != nil {
			errs = append(errs, fmt.Errorf("sink %s: %w", w.Sink, err))
		}
	}
	return errors.Join(errs...)
}
