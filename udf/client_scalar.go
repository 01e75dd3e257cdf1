package udf

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	pb "github.com/drover-etl/drover/udf/proto"
)

// CallScalar sends the arguments on a pooled stream, through shared
// memory when the plugin takes it, inline (split if large) otherwise, and
// reads the result back.
func (c *Client) CallScalar(ctx context.Context, name string, args []arrow.Array, rows int) (arrow.Array, error) {
	rec := newRecord("a", args, rows)
	defer rec.Release()
	limit := MaxMessageBytes
	if c.sharedMemoryOK() {
		limit = maxRegion / 4
	}
	parts := chunks(rec, limit)
	defer releaseRecords(parts)
	outs := make([]arrow.Array, 0, len(parts))
	defer func() { releaseArrays(outs) }()
	for _, p := range parts {
		out, err := c.callOne(ctx, name, p)
		if err != nil {
			return nil, err
		}
		outs = append(outs, out)
	}
	if len(outs) == 1 {
		outs[0].Retain()
		return outs[0], nil
	}
	out, err := array.Concatenate(outs, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: results of different types: %w", ErrProtocol, name, err)
	}
	return out, nil
}

// callOne runs one round trip. Sent inline, rec's buffers go to the socket
// as they are (zero-copy); rec stays retained by the caller until the
// reply, which proves the request was sent whole.
func (c *Client) callOne(ctx context.Context, name string, rec arrow.RecordBatch) (arrow.Array, error) {
	segs, err := encodeSegments(rec)
	if err != nil {
		return nil, err
	}
	st, err := c.stream()
	if err != nil {
		return nil, fromStatus(ctx, err)
	}
	req, attached := st.request(c.sharedMemoryOK(), name, rec.NumRows(), segs)
	// The caller's context (with its deadline) ends the stream, not just
	// the wait: a plugin stuck in one call must not hold a stream forever.
	stop := context.AfterFunc(ctx, st.cancel)
	resp, err := st.roundTrip(req)
	reusable := stop() && err == nil
	if err != nil {
		st.close()
		return nil, fromStatus(ctx, err)
	}
	// Read the result before the stream (and its region) can be reused.
	out, err := st.result(name, resp)
	if !reusable || err != nil {
		st.close()
		return out, err
	}
	if attached {
		st.reg.unlink()
	}
	c.put(st)
	return out, nil
}

func resultColumn(name string, b []byte) (arrow.Array, error) {
	out, err := DecodeBatch(b)
	if err != nil {
		return nil, err
	}
	defer out.Release()
	if out.NumCols() != 1 {
		return nil, fmt.Errorf("%w: %s returned %d columns, want 1", ErrProtocol, name, out.NumCols())
	}
	col := out.Column(0)
	col.Retain()
	return col, nil
}

// scalarStream is one Scalar stream, used by one call at a time, with its
// shared region once it has one.
type scalarStream struct {
	s      pb.UDF_ScalarClient
	cancel context.CancelFunc
	reg    *region
}

// request builds a call's request: the arguments in the shared region
// when possible (attaching a new, larger region when the batch needs
// one), inline otherwise. attached reports a new region.
func (s *scalarStream) request(shm bool, name string, rows int64, segs *segments) (req any, attached bool) {
	r := &pb.ScalarRequest{Function: name, Rows: rows}
	if shm && 2*segs.size <= maxRegion {
		// Half the region stays free for the result.
		if s.reg == nil || 2*segs.size > len(s.reg.data) {
			if reg, err := createRegion(max(minRegion, roundMiB(4*segs.size))); err == nil {
				s.reg.close()
				s.reg, r.Attach, attached = reg, reg.path, true
			}
		}
		if s.reg != nil && s.reg.put(0, segs) {
			r.ArgsAt = &pb.Span{Offset: 0, Length: int64(segs.size)}
			return r, attached
		}
	}
	return &outgoing{msg: r, field: 2, payload: segs}, false
}

func roundMiB(n int) int { return (n + 1<<20 - 1) &^ (1<<20 - 1) }

// result decodes the reply; a result in the region is copied out first,
// since the next call on this stream overwrites it.
func (s *scalarStream) result(name string, resp *pb.ScalarResponse) (arrow.Array, error) {
	b := resp.Result
	if at := resp.ResultAt; at != nil {
		src, err := s.reg.span(at.Offset, at.Length)
		if err != nil {
			return nil, err
		}
		b = append([]byte(nil), src...)
	}
	return resultColumn(name, b)
}

func (s *scalarStream) roundTrip(req any) (*pb.ScalarResponse, error) {
	if err := s.s.SendMsg(req); err != nil {
		// A failed Send hides the status; Recv reports it.
		if _, rerr := s.s.Recv(); rerr != nil {
			return nil, rerr
		}
		return nil, err
	}
	return s.s.Recv()
}

func (s *scalarStream) close() {
	s.cancel()
	s.reg.close()
}

// stream takes an idle stream or opens one.
func (c *Client) stream() (*scalarStream, error) {
	c.mu.Lock()
	if n := len(c.idle); n > 0 {
		s := c.idle[n-1]
		c.idle = c.idle[:n-1]
		c.mu.Unlock()
		return s, nil
	}
	c.mu.Unlock()
	ctx, cancel := context.WithCancel(c.life)
	s, err := c.rpc.Scalar(ctx)
	if err != nil {
		cancel()
		return nil, err
	}
	return &scalarStream{s: s, cancel: cancel}, nil
}

func (c *Client) put(s *scalarStream) {
	c.mu.Lock()
	c.idle = append(c.idle, s)
	c.mu.Unlock()
}

func releaseRecords(recs []arrow.RecordBatch) {
	for _, r := range recs {
		r.Release()
	}
}

func releaseArrays(as []arrow.Array) {
	for _, a := range as {
		a.Release()
	}
}
