package udf

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	pb "github.com/drover-etl/drover/udf/proto"
)

// OpenTransform opens a Transform stream and sends open. ctx bounds the
// run: cancelling it (with a cause) ends the stream and every call on it
// reports that cause.
func (c *Client) OpenTransform(ctx context.Context, name string, in *arrow.Schema, args map[string]string) (TransformStream, error) {
	schema, err := EncodeSchema(in)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	stopLife := context.AfterFunc(c.life, cancel)
	s, err := c.rpc.Transform(sctx)
	t := &transformStream{ctx: sctx, s: s, cancel: func() { stopLife(); cancel() }}
	if err == nil {
		// open has no reply: a failure to open surfaces on the first Next.
		err = t.send(&pb.TransformRequest{Msg: &pb.TransformRequest_Open{Open: &pb.TransformOpen{
			Function: name, Args: args, InputSchema: schema}}}, false)
	}
	if err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// transformStream sends one chunk at a time and reads its output until
// done, so neither side ever blocks on a full window while the other
// sends too.
type transformStream struct {
	ctx      context.Context
	s        pb.UDF_TransformClient
	cancel   func()
	pending  []arrow.RecordBatch // chunks of the last Send not sent yet
	inflight arrow.RecordBatch   // the chunk sent (zero-copy) until its done
	waiting  bool                // a request is out and its done has not come
}

var _ TransformStream = (*transformStream)(nil)

func (t *transformStream) Send(rec arrow.RecordBatch) error {
	if t.waiting || len(t.pending) > 0 {
		return fmt.Errorf("%w: Send before the output of the last batch was read", ErrProtocol)
	}
	if rec == nil {
		return t.send(&pb.TransformRequest{Msg: &pb.TransformRequest_Finish{Finish: true}}, true)
	}
	t.pending = chunks(rec, MaxMessageBytes)
	return t.sendChunk()
}

// sendChunk sends the next chunk zero-copy and holds it until its done
// proves the plugin has read it.
func (t *transformStream) sendChunk() error {
	rec := t.pending[0]
	t.pending = t.pending[1:]
	t.inflight = rec
	segs, err := encodeSegments(rec)
	if err != nil {
		return err
	}
	return t.send(&outgoing{msg: &pb.TransformRequest{}, field: 2, payload: segs}, true)
}

// send sends one request; replied says whether a done will answer it.
func (t *transformStream) send(req any, replied bool) error {
	if err := t.s.SendMsg(req); err != nil {
		if errors.Is(err, io.EOF) {
			// The server ended the stream; Recv has its status.
			_, err = t.s.Recv()
		}
		return fromStatus(t.ctx, err)
	}
	t.waiting = replied
	return nil
}

func (t *transformStream) Next() (arrow.RecordBatch, error) {
	for t.waiting {
		resp, err := t.s.Recv()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = fmt.Errorf("%w: the transform stream ended before done", ErrProtocol)
			}
			return nil, fromStatus(t.ctx, err)
		}
		if !resp.Done {
			return DecodeBatch(resp.Batch)
		}
		t.waiting = false
		t.release()
		if len(t.pending) > 0 {
			if err := t.sendChunk(); err != nil {
				return nil, err
			}
		}
	}
	return nil, nil
}

func (t *transformStream) Close() error {
	t.cancel()
	t.release()
	releaseRecords(t.pending)
	t.pending = nil
	return nil
}

func (t *transformStream) release() {
	if t.inflight != nil {
		t.inflight.Release()
		t.inflight = nil
	}
}
