package udf

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	pb "github.com/drover-etl/drover/udf/proto"
)

// Transform runs one transform over one partition: open, then batches,
// then finish; each answered by output batches and a done marker.
func (s *server) Transform(stream pb.UDF_TransformServer) error {
	ctx := stream.Context()
	run, err := s.openTransform(ctx, stream)
	if err != nil {
		return toStatus(err)
	}
	// Output batches go out zero-copy and are held until the next request,
	// which the executor sends only after it read everything before done.
	var held []arrow.RecordBatch
	defer func() { releaseRecords(held) }()
	emit := func(rec arrow.RecordBatch) error {
		segs, err := encodeSegments(rec)
		if err != nil {
			return err
		}
		rec.Retain()
		held = append(held, rec)
		return stream.SendMsg(&outgoing{msg: &pb.TransformResponse{}, field: 1, payload: segs})
	}
	for {
		req, err := stream.Recv()
		releaseRecords(held)
		held = held[:0]
		if err != nil {
			// The executor closed the stream early (a LIMIT above, or a
			// failed task): nothing left to do.
			return err
		}
		finished, err := step(ctx, run, req, emit)
		if err != nil {
			return toStatus(err)
		}
		if err := stream.Send(&pb.TransformResponse{Done: true}); err != nil {
			return err
		}
		if finished {
			return nil
		}
	}
}

func (s *server) openTransform(ctx context.Context, stream pb.UDF_TransformServer) (TransformRun, error) {
	req, err := stream.Recv()
	if err != nil {
		return nil, err
	}
	open := req.GetOpen()
	if open == nil {
		return nil, fmt.Errorf("%w: a transform stream must start with open", ErrProtocol)
	}
	t, err := s.transform(open.Function)
	if err != nil {
		return nil, err
	}
	in, err := DecodeSchema(open.InputSchema)
	if err != nil {
		return nil, err
	}
	run, err := t.Start(ctx, in, open.Args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", open.Function, err)
	}
	return run, nil
}

// step handles one request after open; finished reports the finish.
func step(ctx context.Context, run TransformRun, req *pb.TransformRequest, emit Emit) (finished bool, err error) {
	switch m := req.Msg.(type) {
	case *pb.TransformRequest_Batch:
		rec, err := DecodeBatch(m.Batch)
		if err != nil {
			return false, err
		}
		defer rec.Release()
		return false, run.Batch(ctx, rec, emit)
	case *pb.TransformRequest_Finish:
		return true, run.Finish(ctx, emit)
	}
	return false, fmt.Errorf("%w: unexpected %T in a transform stream", ErrProtocol, req.Msg)
}
