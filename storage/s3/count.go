package s3

import (
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/s3cost"
)

// countingTransport counts every HTTP request the store's clients send,
// including minio-go's own retries: that is what S3 bills. Each request
// goes into the process-wide Prometheus counters and into the
// s3cost.Recorder its context carries (the task's or the driver's).
type countingTransport struct {
	next http.RoundTripper
}

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	op, class := classifyRequest(req)
	rec := s3cost.FromContext(req.Context())
	sent := sentBytes(req)
	metrics.S3Requests.WithLabelValues(class.String(), op).Inc()
	metrics.S3BytesSent.WithLabelValues(op).Add(float64(max(sent, 0)))
	if class == s3cost.Put {
		rec.Request(class, max(sent, 0))
	} else {
		rec.Request(class, 0)
	}
	if sent < 0 && req.Body != nil && req.Body != http.NoBody {
		// Unknown length: count the body as the transport reads it.
		req = req.Clone(req.Context())
		req.Body = &countingBody{ReadCloser: req.Body, onRead: func(n int) {
			metrics.S3BytesSent.WithLabelValues(op).Add(float64(n))
			if class == s3cost.Put {
				rec.Bytes(class, int64(n))
			}
		}}
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		if req.Context().Err() == nil {
			metrics.S3Errors.WithLabelValues(op, "network").Inc()
			rec.Error()
		}
		return resp, err
	}
	countStatus(op, resp.StatusCode, rec)
	received := metrics.S3BytesReceived.WithLabelValues(op)
	resp.Body = &countingBody{ReadCloser: resp.Body, onRead: func(n int) {
		received.Add(float64(n))
		if class != s3cost.Put {
			rec.Bytes(class, int64(n))
		}
	}}
	return resp, nil
}

// countStatus records an error answer. 404 is not one: it answers the
// existence checks that commits and retries make on purpose.
func countStatus(op string, status int, rec *s3cost.Recorder) {
	if status < 400 || status == http.StatusNotFound {
		return
	}
	metrics.S3Errors.WithLabelValues(op, strconv.Itoa(status)).Inc()
	rec.Error()
	if status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests {
		metrics.S3SlowDowns.Inc()
	}
}

// sentBytes is the request's payload size, -1 when unknown. Streaming
// uploads (aws-chunked with a checksum trailer) declare the payload size
// apart from the framed body's.
func sentBytes(req *http.Request) int64 {
	if v := req.Header.Get("X-Amz-Decoded-Content-Length"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	if req.Body == nil || req.Body == http.NoBody {
		return 0
	}
	return req.ContentLength
}

// classifyRequest names the S3 operation a request performs (the metric
// label) and its billing class, from its method, query and headers.
func classifyRequest(req *http.Request) (op string, class s3cost.Class) {
	q := req.URL.Query()
	switch req.Method {
	case http.MethodGet:
		return classifyGet(q)
	case http.MethodHead:
		return "head", s3cost.Get
	case http.MethodPut:
		if req.Header.Get("X-Amz-Copy-Source") != "" {
			if has(q, "partNumber") {
				return "upload_part_copy", s3cost.Put
			}
			return "copy", s3cost.Put
		}
		if has(q, "partNumber") && has(q, "uploadId") {
			return "upload_part", s3cost.Put
		}
		return "put", s3cost.Put
	case http.MethodPost:
		switch {
		case has(q, "uploads"):
			return "create_multipart", s3cost.Put
		case has(q, "uploadId"):
			return "complete_multipart", s3cost.Put
		case has(q, "delete"):
			return "delete_objects", s3cost.Delete
		}
		return "post", s3cost.Put
	case http.MethodDelete:
		if has(q, "uploadId") {
			return "abort_multipart", s3cost.Delete
		}
		return "delete", s3cost.Delete
	}
	return "other", s3cost.Get
}

func classifyGet(q url.Values) (string, s3cost.Class) {
	switch {
	case has(q, "uploads"):
		return "list_multipart", s3cost.List
	case has(q, "uploadId"):
		return "list_parts", s3cost.List
	case has(q, "list-type"), has(q, "prefix"), has(q, "delimiter"), has(q, "marker"), has(q, "continuation-token"):
		return "list", s3cost.List
	case has(q, "location"):
		return "bucket_location", s3cost.Get
	}
	return "get", s3cost.Get
}

func has(q url.Values, k string) bool {
	_, ok := q[k]
	return ok
}

// countingBody reports the bytes read through it.
type countingBody struct {
	io.ReadCloser
	onRead func(n int)
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.onRead(n)
	}
	return n, err
}
