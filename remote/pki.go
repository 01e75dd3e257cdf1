package remote

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"
)

// executorServerName is the DNS name in every executor certificate and the
// name the driver verifies. Executor addresses are dynamic (Nomad picks the
// node and port), so the certificate cannot name them; what proves an
// executor belongs to the run is a chain to the run's own CA, whose key
// never leaves the driver process.
const executorServerName = "executor.drover.invalid"

// certLifetime bounds a run's certificates; runs are far shorter. The hour
// before now tolerates clock skew between the driver and the nodes.
const certLifetime = 30 * 24 * time.Hour

// RunCA is a run's certificate authority: made by the driver for one run,
// held in its memory only, gone when the run ends.
type RunCA struct {
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
	certPEM []byte
}

// NewRunCA makes a fresh CA (ECDSA P-256) for the run.
func NewRunCA(run string) (*RunCA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("run CA key: %w", err)
	}
	tmpl, err := template("drover run " + run + " CA")
	if err != nil {
		return nil, err
	}
	tmpl.IsCA, tmpl.BasicConstraintsValid, tmpl.MaxPathLenZero = true, true, true
	tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("run CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &RunCA{cert: cert, key: key, certPEM: pemBlock("CERTIFICATE", der)}, nil
}

// KeyPEM is the CA's private key, for a resumed driver of the same run
// (kept where only the driver may read it, never with the executors).
func (ca *RunCA) KeyPEM() ([]byte, error) {
	der, err := x509.MarshalECPrivateKey(ca.key)
	if err != nil {
		return nil, fmt.Errorf("run CA key: %w", err)
	}
	return pemBlock("EC PRIVATE KEY", der), nil
}

// LoadRunCA is the CA that CertPEM and KeyPEM returned, for a resumed
// driver: it issues client certificates the run's executors trust.
func LoadRunCA(certPEM, keyPEM []byte) (*RunCA, error) {
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return nil, fmt.Errorf("%w: the run CA does not decode as PEM", ErrBadCredentials)
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: the run CA certificate does not parse", ErrBadCredentials)
	}
	key, err := x509.ParseECPrivateKey(kb.Bytes)
	if err != nil {
		// Never wrap the parse error: it could quote the key.
		return nil, fmt.Errorf("%w: the run CA key does not parse", ErrBadCredentials)
	}
	return &RunCA{cert: cert, key: key, certPEM: certPEM}, nil
}

// CertPEM is the CA certificate (public).
func (ca *RunCA) CertPEM() []byte { return ca.certPEM }

// IssueExecutor makes the key and certificate every executor of the run
// serves with (server authentication, named executorServerName).
func (ca *RunCA) IssueExecutor() (certPEM, keyPEM []byte, err error) {
	return ca.issue("drover executor", x509.ExtKeyUsageServerAuth, []string{executorServerName})
}

// ClientTLS is the driver's side: a fresh client certificate from the CA
// and a configuration that trusts only the CA and expects an executor.
func (ca *RunCA) ClientTLS() (*tls.Config, error) {
	certPEM, keyPEM, err := ca.issue("drover driver", x509.ExtKeyUsageClientAuth, nil)
	if err != nil {
		return nil, err
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("driver certificate: %w", err)
	}
	return ClientTLSConfig(ca.certPEM, pair)
}

func (ca *RunCA) issue(cn string, usage x509.ExtKeyUsage, dns []string) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("%s key: %w", cn, err)
	}
	tmpl, err := template(cn)
	if err != nil {
		return nil, nil, err
	}
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{usage}
	tmpl.DNSNames = dns
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, nil, fmt.Errorf("%s certificate: %w", cn, err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pemBlock("CERTIFICATE", der), pemBlock("EC PRIVATE KEY", keyDER), nil
}

func template(cn string) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("certificate serial: %w", err)
	}
	now := time.Now()
	return &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(certLifetime),
	}, nil
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// ClientTLSConfig trusts only the CA in caPEM, presents pair, and accepts
// only an executor certificate (TLS 1.3).
func ClientTLSConfig(caPEM []byte, pair tls.Certificate) (*tls.Config, error) {
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		return nil, fmt.Errorf("%w: no CA certificate in the PEM", ErrBadCredentials)
	}
	return &tls.Config{
		MinVersion: tls.VersionTLS13, RootCAs: roots, ServerName: executorServerName,
		Certificates: []tls.Certificate{pair},
	}, nil
}

// ServerTLSConfig serves with the executor's certificate and key and
// requires a client certificate from the run's CA.
func ServerTLSConfig(caPEM, certPEM, keyPEM []byte) (*tls.Config, error) {
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		// Never wrap the parse error: it could quote the key.
		return nil, fmt.Errorf("%w: the executor certificate and key do not load as a pair", ErrBadCredentials)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, fmt.Errorf("%w: no CA certificate in the PEM", ErrBadCredentials)
	}
	return &tls.Config{
		MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{pair},
		ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert,
	}, nil
}
