package s3

import (
	"testing"

	"github.com/minio/minio-go/v7/pkg/credentials"
)

// TestCredentialsFallBackToTheAWSChain: with no keys configured the store
// asks the shared file and the instance profile instead of signing with
// empty keys; with keys it uses them as given.
func TestCredentialsFallBackToTheAWSChain(t *testing.T) {
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	withKeys := Config{AccessKey: "AK", SecretKey: "SK"}.credentials()
	v, err := withKeys.GetWithContext(&credentials.CredContext{})
	if err != nil || v.AccessKeyID != "AK" || v.SecretAccessKey != "SK" {
		t.Fatalf("static keys: %+v, %v", v, err)
	}
	// Not retrieved here: the instance-profile provider would ask the
	// metadata address, which tests must never contact.
	if chain := (Config{}).credentials(); !chain.IsExpired() {
		t.Fatal("keyless config did not fall back to the provider chain")
	}
}
