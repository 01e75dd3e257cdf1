package udf

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	pb "github.com/drover-etl/drover/udf/proto"
)

// server serves a Plugin over gRPC: it decodes Arrow IPC payloads, calls
// the plugin's functions and encodes their results. It checks nothing the
// executor checks anyway (result lengths and types, output schemas): the
// executor must not trust plugins in other languages either.
type server struct {
	pb.UnimplementedUDFServer
	p *Plugin
}

var _ pb.UDFServer = (*server)(nil)

func newServer(p *Plugin) *server { return &server{p: p} }

func (s *server) Describe(context.Context, *pb.DescribeRequest) (*pb.DescribeResponse, error) {
	out := &pb.DescribeResponse{SharedMemory: sharedMemory}
	for _, f := range s.p.Describe() {
		kind := pb.Kind_KIND_SCALAR
		if f.Transform {
			kind = pb.Kind_KIND_TRANSFORM
		}
		out.Functions = append(out.Functions, &pb.Function{Name: f.Name, Kind: kind, Doc: f.Doc, Deterministic: f.Deterministic})
	}
	return out, nil
}

func (s *server) scalar(name string) (Scalar, error) {
	if f, ok := s.p.Scalars[name]; ok {
		return f, nil
	}
	if _, ok := s.p.Transforms[name]; ok {
		return nil, fmt.Errorf("%w: %q is a transform, not a scalar function", ErrUnknownFunction, name)
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownFunction, name)
}

func (s *server) transform(name string) (Transform, error) {
	if f, ok := s.p.Transforms[name]; ok {
		return f, nil
	}
	if _, ok := s.p.Scalars[name]; ok {
		return nil, fmt.Errorf("%w: %q is a scalar function, not a transform", ErrUnknownFunction, name)
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownFunction, name)
}

func (s *server) ResolveScalar(_ context.Context, req *pb.ResolveScalarRequest) (*pb.ResolveScalarResponse, error) {
	f, err := s.scalar(req.Function)
	if err != nil {
		return nil, toStatus(err)
	}
	in, err := DecodeSchema(req.ArgSchema)
	if err != nil {
		return nil, toStatus(err)
	}
	args := make([]arrow.DataType, in.NumFields())
	for i, fld := range in.Fields() {
		args[i] = fld.Type
	}
	t, err := f.ResultType(args)
	if err != nil {
		return nil, toStatus(fmt.Errorf("%w: %w", ErrRejected, err))
	}
	b, err := EncodeSchema(arrow.NewSchema([]arrow.Field{{Name: "result", Type: t, Nullable: true}}, nil))
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.ResolveScalarResponse{ResultSchema: b}, nil
}

func (s *server) ResolveTransform(_ context.Context, req *pb.ResolveTransformRequest) (*pb.ResolveTransformResponse, error) {
	t, err := s.transform(req.Function)
	if err != nil {
		return nil, toStatus(err)
	}
	in, err := DecodeSchema(req.InputSchema)
	if err != nil {
		return nil, toStatus(err)
	}
	out, err := t.OutputSchema(in, req.Args)
	if err != nil {
		return nil, toStatus(fmt.Errorf("%w: %w", ErrRejected, err))
	}
	b, err := EncodeSchema(out)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.ResolveTransformResponse{OutputSchema: b}, nil
}

// Scalar answers each request of the stream in turn, reading arguments
// from and writing results to the stream's shared region when the executor
// uses one. An inline result is sent zero-copy and held until the next
// request, which the executor sends only after reading the whole reply.
func (s *server) Scalar(stream pb.UDF_ScalarServer) error {
	ctx := stream.Context()
	var held arrow.RecordBatch
	var reg *region
	defer func() {
		releaseHeld(held)
		reg.close()
	}()
	for {
		req, err := stream.Recv()
		releaseHeld(held)
		held = nil
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if req.Attach != "" {
			r, err := openRegion(req.Attach)
			if err != nil {
				return toStatus(fmt.Errorf("%w: shared region: %w", ErrProtocol, err))
			}
			reg.close()
			reg = r
		}
		args := req.Args
		if req.ArgsAt != nil {
			if args, err = reg.span(req.ArgsAt.Offset, req.ArgsAt.Length); err != nil {
				return toStatus(err)
			}
		}
		if held, err = s.callScalar(ctx, req.Function, args, req.Rows); err != nil {
			return toStatus(err)
		}
		resp, err := reply(held, reg, req.ArgsAt)
		if err != nil {
			return toStatus(err)
		}
		if _, inRegion := resp.(*pb.ScalarResponse); inRegion {
			releaseHeld(held)
			held = nil
		}
		if err := stream.SendMsg(resp); err != nil {
			return err
		}
	}
}

// reply puts the result in the region after the arguments when they came
// that way and it fits, inline otherwise.
func reply(rec arrow.RecordBatch, reg *region, argsAt *pb.Span) (any, error) {
	segs, err := encodeSegments(rec)
	if err != nil {
		return nil, err
	}
	if argsAt != nil {
		off := align8(int(argsAt.Offset + argsAt.Length))
		if reg.put(off, segs) {
			return &pb.ScalarResponse{ResultAt: &pb.Span{Offset: int64(off), Length: int64(segs.size)}}, nil
		}
	}
	return &outgoing{msg: &pb.ScalarResponse{}, field: 1, payload: segs}, nil
}

func (s *server) callScalar(ctx context.Context, function string, argBytes []byte, rows int64) (arrow.RecordBatch, error) {
	f, err := s.scalar(function)
	if err != nil {
		return nil, err
	}
	args, err := DecodeBatch(argBytes)
	if err != nil {
		return nil, err
	}
	defer args.Release()
	out, err := f.Call(ctx, args.Columns(), int(rows))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", function, err)
	}
	defer out.Release()
	return newRecord("result", []arrow.Array{out}, out.Len()), nil
}

func releaseHeld(rec arrow.RecordBatch) {
	if rec != nil {
		rec.Release()
	}
}
