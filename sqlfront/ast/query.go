package ast

// Query is a complete query expression: WITH, a body, then ORDER BY and
// the row limits that apply to the body's result.
type Query struct {
	Pos
	With    *With // nil without WITH
	Body    QueryBody
	OrderBy []*OrderItem
	// Limit is the row count of LIMIT n or FETCH FIRST n ROWS ONLY; nil
	// for none and for LIMIT ALL.
	Limit  Expr
	Offset Expr // nil without OFFSET
}

// With is a WITH clause. Recursive is never set by the parser (WITH
// RECURSIVE is rejected) but keeps the tree honest.
type With struct {
	Pos
	Recursive bool
	CTEs      []*CTE
}

// CTE is one common table expression: name [(columns)] AS (query).
type CTE struct {
	Pos
	Name    string
	Columns []string // nil without a column list
	Query   *Query
}

// Select is one SELECT block.
type Select struct {
	Pos
	Distinct bool
	Items    []*SelectItem
	From     []TableRef // nil for SELECT without FROM; comma-separated entries
	Where    Expr
	// GroupBy is nil without GROUP BY.
	GroupBy []*GroupItem
	Having  Expr
	Windows []*NamedWindow // the WINDOW clause
	Qualify Expr
}

// SelectItem is one entry of the select list: an expression with an
// optional alias, or a star (* or qualifier.*), when Star is set and Expr
// is nil.
type SelectItem struct {
	Pos
	Expr          Expr
	Alias         string
	Star          bool
	StarQualifier string
}

// SetOpKind is the operator of a set operation.
type SetOpKind int

// The set operators.
const (
	Union SetOpKind = iota
	Intersect
	Except
)

var setOpNames = [...]string{Union: "UNION", Intersect: "INTERSECT", Except: "EXCEPT"}

func (k SetOpKind) String() string { return setOpNames[k] }

// SetOp is Left UNION|INTERSECT|EXCEPT [ALL] Right. INTERSECT binds
// tighter than UNION and EXCEPT, which associate to the left.
type SetOp struct {
	Pos
	Op          SetOpKind
	All         bool
	Left, Right QueryBody
}

// Values is a VALUES list, as a query body or (inside a *Derived) a table.
type Values struct {
	Pos
	Rows [][]Expr
}

// NullsOrder says where an ORDER BY key puts NULLs.
type NullsOrder int

// The NULL placements; NullsDefault leaves it to the engine's default.
const (
	NullsDefault NullsOrder = iota
	NullsFirst
	NullsLast
)

// OrderItem is one ORDER BY key. An integer literal Expr is a position
// in the select list; the planner decides.
type OrderItem struct {
	Pos
	Expr  Expr
	Desc  bool
	Nulls NullsOrder
}

// GroupKind tells the forms of a GROUP BY element apart.
type GroupKind int

// The GROUP BY element forms.
const (
	// GroupExpr is a plain expression (Exprs has one entry).
	GroupExpr GroupKind = iota
	// GroupList is a parenthesized list (a, b), possibly empty (), inside
	// ROLLUP, CUBE or GROUPING SETS (or at the top, where it means a, b).
	GroupList
	// GroupRollup, GroupCube and GroupSets hold their elements in Items.
	GroupRollup
	GroupCube
	GroupSets
)

// GroupItem is one element of GROUP BY.
type GroupItem struct {
	Pos
	Kind  GroupKind
	Exprs []Expr       // GroupExpr, GroupList
	Items []*GroupItem // GroupRollup, GroupCube, GroupSets
}

// NamedWindow is an entry of the WINDOW clause: name AS (spec).
type NamedWindow struct {
	Pos
	Name string
	Spec *WindowSpec
}

func (*Select) queryBody() {}
func (*SetOp) queryBody()  {}
func (*Values) queryBody() {}
func (*Query) queryBody()  {}
