//go:build tools

// Package kubo pins the IPFS server the Big Storage tests run against: Kubo's cmd/ipfs, built by
// scripts/setup.mjs with `go build github.com/ipfs/kubo/cmd/ipfs` inside this module, so that this
// go.mod (not Kubo's own, whose replace directives `go install` refuses) picks the dependencies.
package kubo

import _ "github.com/ipfs/kubo/cmd/ipfs"
