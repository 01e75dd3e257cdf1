package s3

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/storage"
)

// s3Error is a failure as this package reports it: a message written here
// (so it can be scrubbed of credentials) and the storage sentinel it stands
// for, if any. The minio-go error is deliberately not kept in the chain:
// its text is not ours to vouch for.
type s3Error struct {
	msg  string
	kind error // storage.ErrNotExist, storage.ErrPermission or nil
	// throttle: the server asked for fewer requests (SlowDown, 429, 503).
	throttle bool
}

func (e *s3Error) Error() string { return e.msg }
func (e *s3Error) Unwrap() error { return e.kind }

// pathErr names the object an operation failed on.
func (s *Store) pathErr(op, key string, err error) error {
	return &storage.PathError{Op: op, URL: s.URL(key), Err: err}
}

// classify turns a minio-go or network error into an s3Error, marked
// storage.Transient when another attempt may succeed. parent is the
// caller's context: once it is done, its error is the answer.
func (s *Store) classify(parent context.Context, err error) error {
	if perr := parent.Err(); perr != nil {
		return perr
	}
	var resp minio.ErrorResponse
	if errors.As(err, &resp) && resp.Code != "" {
		return s.classifyResponse(resp)
	}
	e := &s3Error{msg: s.redact.Replace(err.Error())}
	if networkTransient(err) {
		return storage.Transient(e)
	}
	return e
}

// Error codes by meaning. AccessDenied is kept apart because it may also
// mean valid credentials without permission.
var (
	credentialCodes = codes("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken",
		"ExpiredToken", "ExpiredTokenException", "AuthorizationHeaderMalformed", "InvalidSecurity")
	transientCodes = codes("SlowDown", "SlowDownRead", "SlowDownWrite", "InternalError",
		"ServiceUnavailable", "RequestTimeout", "Throttling", "ThrottlingException",
		"RequestLimitExceeded", "RequestThrottled", "XMinioServerNotInitialized")
	throttleCodes = codes("SlowDown", "SlowDownRead", "SlowDownWrite", "Throttling", "ThrottlingException",
		"RequestLimitExceeded", "RequestThrottled")
)

func codes(cs ...string) map[string]bool {
	m := map[string]bool{}
	for _, c := range cs {
		m[c] = true
	}
	return m
}

// classifyResponse maps an S3 error response to storage's vocabulary.
func (s *Store) classifyResponse(r minio.ErrorResponse) error {
	switch {
	case r.Code == "NoSuchKey":
		return &s3Error{msg: "no such object", kind: storage.ErrNotExist}
	case r.Code == "NoSuchUpload":
		return &s3Error{msg: "no such multipart upload (completed or aborted)", kind: storage.ErrNotExist}
	case r.Code == "NoSuchBucket":
		return &s3Error{msg: fmt.Sprintf("bucket %q does not exist at %s", s.bucket, s.endpoint), kind: storage.ErrNotExist}
	case credentialCodes[r.Code]:
		return &s3Error{msg: fmt.Sprintf("%s rejected the credentials (%s): check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN", s.endpoint, r.Code), kind: storage.ErrPermission}
	case r.Code == "AccessDenied":
		return &s3Error{msg: fmt.Sprintf("%s denied access to bucket %q (AccessDenied): the credentials were rejected or lack permission", s.endpoint, s.bucket), kind: storage.ErrPermission}
	case r.Code == "PreconditionFailed":
		return &s3Error{msg: "object changed while being read (ETag no longer matches)"}
	}
	e := &s3Error{msg: s.redact.Replace(fmt.Sprintf("%s (HTTP %d %s)", r.Error(), r.StatusCode, r.Code))}
	if transientCodes[r.Code] || r.StatusCode >= 500 || r.StatusCode == http.StatusTooManyRequests || r.StatusCode == http.StatusRequestTimeout {
		e.throttle = throttleCodes[r.Code] || r.StatusCode == http.StatusTooManyRequests || r.StatusCode == http.StatusServiceUnavailable
		return storage.Transient(e)
	}
	return e
}

// networkTransient reports errors of the connection rather than of the
// request: timeouts, resets, refused connections (a restarting server),
// bodies cut short. Certificate problems are not retried.
func networkTransient(err error) bool {
	var cert x509.UnknownAuthorityError
	var host x509.HostnameError
	var ne net.Error
	switch {
	case errors.As(err, &cert), errors.As(err, &host):
		return false
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE):
		return true
	case errors.As(err, &ne) && ne.Timeout():
		return true
	}
	return false
}

// redactor replaces every credential with "[redacted]" in message text.
// Values shorter than 8 bytes (only toy access keys; MinIO and AWS secrets
// are longer) are left alone: replacing them would garble bucket names and
// words in the message while hiding nothing worth hiding.
func redactor(cfg Config) *strings.Replacer {
	var pairs []string
	for _, secret := range []string{cfg.SecretKey, cfg.SessionToken, cfg.AccessKey} {
		if len(secret) >= 8 {
			pairs = append(pairs, secret, "[redacted]")
		}
	}
	return strings.NewReplacer(pairs...)
}
