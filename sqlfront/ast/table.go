package ast

// Table is a named relation, optionally schema-qualified.
type Table struct {
	Pos
	Schema string
	Name   string
	Alias  *Alias // nil without alias
}

// Alias is AS name [(columns)] after a table reference.
type Alias struct {
	Pos
	Name    string
	Columns []string // nil without a column list
}

// Derived is a subquery in FROM: [LATERAL] (query) [AS] alias [(cols)].
// A VALUES table is a Derived whose Query body is a *Values.
type Derived struct {
	Pos
	Lateral bool
	Query   *Query
	Alias   *Alias
}

// JoinType is the kind of a join.
type JoinType int

// The join kinds. CrossJoin has neither On nor Using.
const (
	InnerJoin JoinType = iota
	LeftJoin
	RightJoin
	FullJoin
	CrossJoin
)

var joinNames = [...]string{InnerJoin: "JOIN", LeftJoin: "LEFT JOIN", RightJoin: "RIGHT JOIN", FullJoin: "FULL JOIN", CrossJoin: "CROSS JOIN"}

func (t JoinType) String() string { return joinNames[t] }

// Join is Left [NATURAL] type JOIN Right [ON cond | USING (cols)]. A
// parenthesized join is just a Join in the tree.
type Join struct {
	Pos
	Type    JoinType
	Natural bool
	Left    TableRef
	Right   TableRef
	On      Expr     // nil unless ON
	Using   []string // nil unless USING
}

func (*Table) tableRef()   {}
func (*Derived) tableRef() {}
func (*Join) tableRef()    {}
