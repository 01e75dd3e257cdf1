// Package plugintest builds plugin binaries for tests: the example
// plugins under plugins/ and the misbehaving udfhost/internal/faultkit,
// with the go command, once per test process.
package plugintest
