package s3

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Defaults for uploads: parts of 16 MiB sent by 4 threads keep a writer's
// memory at ~80 MiB while reaching MinIO's loopback PUT rate (PERFORMANCE.md).
const (
	DefaultPartSize      = 16 << 20
	DefaultUploadThreads = 4
)

// Config says where the store lives and how to sign requests. Its String
// and GoString hide the credentials, so printing a Config is safe.
type Config struct {
	// Endpoint is an S3-compatible server's URL ("http://127.0.0.1:9000");
	// empty means AWS. A custom endpoint uses path-style addressing.
	Endpoint     string
	AccessKey    string
	SecretKey    string
	SessionToken string
	// Region; empty lets the client ask the server for the bucket's region.
	Region string
	// PartSize is the multipart part size for Create (DefaultPartSize when 0);
	// objects smaller than one part go up in a single PUT.
	PartSize int
	// UploadThreads is how many parts of one object upload at once
	// (DefaultUploadThreads when 0); each holds a PartSize buffer.
	UploadThreads int
	// RetryWindow is how long one request is retried through transient
	// failures (DefaultRetryWindow when 0; env DROVER_S3_RETRY_WINDOW).
	RetryWindow time.Duration
}

// ConfigFromEnv reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN, AWS_REGION (or AWS_DEFAULT_REGION) and
// AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL).
func ConfigFromEnv() Config {
	return Config{
		Endpoint:     firstEnv("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"),
		AccessKey:    os.Getenv("AWS_ACCESS_KEY_ID"),
		SecretKey:    os.Getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken: os.Getenv("AWS_SESSION_TOKEN"),
		Region:       firstEnv("AWS_REGION", "AWS_DEFAULT_REGION"),
		RetryWindow:  envDuration(retryWindowEnv),
	}
}

// retryWindowEnv names the variable that sets Config.RetryWindow.
const retryWindowEnv = "DROVER_S3_RETRY_WINDOW"

// envDuration reads a Go duration ("90s", "3m") from the environment (0
// when unset). A malformed value comes back as -1, which New refuses
// with a message naming the variable.
func envDuration(name string) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return -1
	}
	return d
}

func firstEnv(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// String describes the configuration without its secrets.
func (c Config) String() string {
	ep := c.Endpoint
	if ep == "" {
		ep = "AWS"
	}
	return fmt.Sprintf("s3 config (endpoint %s, region %q, access key set: %t, session token set: %t)",
		ep, c.Region, c.AccessKey != "", c.SessionToken != "")
}

// GoString keeps %#v from printing the secrets too.
func (c Config) GoString() string { return c.String() }

// endpoint returns host[:port] and whether to use TLS. A custom endpoint
// must be a bare http(s) URL; one carrying user info is refused without
// echoing it, since that part would be a credential.
func (c Config) endpoint() (host string, secure, custom bool, err error) {
	if c.Endpoint == "" {
		return "s3.amazonaws.com", true, false, nil
	}
	u, err := url.Parse(c.Endpoint)
	switch {
	case err != nil:
		return "", false, false, fmt.Errorf("AWS_ENDPOINT_URL_S3 is not a URL")
	case u.User != nil:
		return "", false, false, fmt.Errorf("AWS_ENDPOINT_URL_S3 must not contain credentials")
	case u.Scheme != "http" && u.Scheme != "https":
		return "", false, false, fmt.Errorf("AWS_ENDPOINT_URL_S3 %q: scheme must be http or https", c.Endpoint)
	case u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "":
		return "", false, false, fmt.Errorf("AWS_ENDPOINT_URL_S3 %q: want scheme://host[:port] only", c.Endpoint)
	}
	return u.Host, u.Scheme == "https", true, nil
}

func (c Config) partSize() int {
	if c.PartSize > 0 {
		return c.PartSize
	}
	return DefaultPartSize
}

func (c Config) uploadThreads() int {
	if c.UploadThreads > 0 {
		return c.UploadThreads
	}
	return DefaultUploadThreads
}

// credentials are the keys from the environment when set. Otherwise the
// standard AWS chain: the shared credentials file, then the EC2 instance
// profile or ECS task role (IMDS), so nodes with an instance profile need
// no keys at all. (The chain is only consulted when no key is configured;
// MinIO setups always set keys.)
func (c Config) credentials() *credentials.Credentials {
	if c.AccessKey != "" {
		return credentials.NewStaticV4(c.AccessKey, c.SecretKey, c.SessionToken)
	}
	return credentials.NewChainCredentials([]credentials.Provider{
		&credentials.FileAWSCredentials{},
		&credentials.IAM{},
	})
}
