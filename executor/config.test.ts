/** HOME/executor.toml's runtime sections and the `--runtime NAME=PATH` flag. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeRuntimeSpecs, parseExecutorConfig, parseRuntimeFlag, readExecutorConfig } from './config.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ain-config-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const EXAMPLE = `
# Runtimes besides python3 and node.
[runtimes.torch]
command = "/opt/torch/.venv/bin/python3"   # the venv's python
read_only = ["/opt/torch/.venv", '/opt/models'] # found anyway: the venv and its base interpreter

[ runtimes.js18 ]
command = '/opt/node18/bin/node'
kind = "node"
`;

describe('executor.toml', () => {
  it('reads [runtimes.<name>] sections: command, kind, read_only', () => {
    expect(parseExecutorConfig(EXAMPLE).runtimes).toEqual([
      { name: 'torch', command: '/opt/torch/.venv/bin/python3', kind: undefined, readOnly: ['/opt/torch/.venv', '/opt/models'] },
      { name: 'js18', command: '/opt/node18/bin/node', kind: 'node', readOnly: undefined },
    ]);
    expect(parseExecutorConfig('').runtimes).toEqual([]);
  });

  it('refuses what it does not know, naming the line', () => {
    const bad = (text: string) => () => parseExecutorConfig(text, 'HOME/executor.toml');
    expect(bad('[gpu]\n')).toThrow(/HOME\/executor.toml:1: unknown section \[gpu\]/);
    expect(bad('[runtimes.torch]\ncommand = "/x/python3"\nvenv = "/x"\n')).toThrow(/:3: unknown key venv/);
    expect(bad('command = "/x/python3"\n')).toThrow(/:1: command outside a \[runtimes.<name>\] section/);
    expect(bad('[runtimes.torch]\ncommand = /x/python3\n')).toThrow(/:2: command must be a quoted string/);
    expect(bad('[runtimes.torch]\nread_only = "/x"\n')).toThrow(/read_only must be an array/);
    expect(bad('[runtimes.torch]\nread_only = ["/x",\n  "/y"]\n')).toThrow(
      /:2: read_only must be a quoted string or a one-line array of quoted strings/,
    );
    expect(bad('[runtimes.torch]\nkind = "python"\n')).toThrow(/\[runtimes.torch\] needs command/);
    expect(bad('[runtimes.Torch]\ncommand = "/x/python3"\n')).toThrow(/name must be lower-case/);
    expect(bad('[runtimes.r]\ncommand = "/usr/bin/R"\n')).toThrow(/set kind = "python" or "node"/);
    expect(bad('[runtimes.a]\ncommand = "/x/python3"\n[runtimes.a]\n')).toThrow(/:3: \[runtimes.a\] appears twice/);
  });

  it('reads the file under HOME; no file declares nothing', () => {
    expect(readExecutorConfig(join(scratch, 'absent.toml')).runtimes).toEqual([]);
    writeFileSync(join(scratch, 'executor.toml'), EXAMPLE);
    expect(readExecutorConfig(join(scratch, 'executor.toml')).runtimes.map((r) => r.name)).toEqual(['torch', 'js18']);
  });
});

describe('--runtime NAME=PATH', () => {
  it('declares a runtime, the kind from the interpreter name; flags replace the file of the same name', () => {
    const flag = parseRuntimeFlag('torch=/srv/venv/bin/python3');
    expect(flag).toEqual({ name: 'torch', command: '/srv/venv/bin/python3' });
    expect(() => parseRuntimeFlag('torch')).toThrow(/must be NAME=PATH/);
    expect(() => parseRuntimeFlag('r=/usr/bin/R')).toThrow(/cannot tell python or node/);
    expect(() => parseRuntimeFlag('torch=venv/bin/python3')).toThrow(/absolute path/);
    const merged = mergeRuntimeSpecs(parseExecutorConfig(EXAMPLE).runtimes, [flag]);
    expect(merged.map((r) => [r.name, r.command])).toEqual([
      ['torch', '/srv/venv/bin/python3'],
      ['js18', '/opt/node18/bin/node'],
    ]);
  });
});
