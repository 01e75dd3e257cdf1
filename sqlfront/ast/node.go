package ast

// Pos is a position in the source text: Offset is the byte offset from
// the start, Line and Col are 1-based (Col counts bytes).
type Pos struct {
	Offset int
	Line   int
	Col    int
}

// Position returns p; embedding Pos gives every node the method.
func (p Pos) Position() Pos { return p }

// Node is any syntax tree node.
type Node interface {
	Position() Pos
	String() string
}

// Expr is a scalar expression.
type Expr interface {
	Node
	exprNode()
}

// QueryBody is the body of a query: a *Select, a *SetOp, a *Values or a
// parenthesized *Query (which may carry its own ORDER BY and LIMIT).
type QueryBody interface {
	Node
	queryBody()
}

// TableRef is an entry of a FROM clause: a *Table, a *Derived table or a
// *Join.
type TableRef interface {
	Node
	tableRef()
}
