//go:build tools

// Package seaweedfs pins the S3-compatible server the Big Storage tests run against: SeaweedFS's
// `weed` (`weed server -s3`), built by scripts/setup.mjs with `go build` inside this module so that
// this go.mod's replace of go-bip39 applies (the module it names is not served by the Go proxy).
package seaweedfs

import _ "github.com/seaweedfs/seaweedfs/weed"
