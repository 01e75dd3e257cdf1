package testutil

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// httpClient talks to the servers directly: no proxy from the environment
// (only loopback is ever contacted) and a short timeout per readiness poll.
var httpClient = &http.Client{
	Transport: &http.Transport{Proxy: nil},
	Timeout:   5 * time.Second,
}

// getOK fails unless GET url answers 200.
func getOK(url string) error {
	resp, err := httpClient.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}

// getJSON decodes the 200 answer of GET url into v.
func getJSON(url string, v any) error {
	resp, err := httpClient.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("GET %s: decode: %w", url, err)
	}
	return nil
}
