// Command compose-config loads a Compose file with the Compose Specification's reference Go library
// (github.com/compose-spec/compose-go, the loader `docker compose` itself uses), validating it against
// the spec's schema, and prints the project it describes as JSON: the model `docker compose config
// --format json` prints. The docker-compose.yml test (cmd/localnet/compose.test.ts) asserts on that
// model. scripts/setup.mjs builds it into .bin/compose-config (`ensureGoServer('compose')`).
//
//	compose-config FILE   prints the project as JSON; exit 1 with the loader's error on stderr
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-config FILE")
		os.Exit(2)
	}
	file, err := filepath.Abs(os.Args[1])
	if err != nil {
		fail(err)
	}
	options, err := cli.NewProjectOptions(
		[]string{file},
		cli.WithWorkingDirectory(filepath.Dir(file)),
		cli.WithDefaultConfigPath,
		cli.WithResolvedPaths(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
	)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	json, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	fmt.Println(string(json))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "compose-config: %v\n", err)
	os.Exit(1)
}
