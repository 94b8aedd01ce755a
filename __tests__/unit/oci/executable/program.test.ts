import { describe, expect, it } from '@jest/globals';
import { LayeredTree, type TreeNode } from '../../../../src/oci/executable/layered-tree.js';
import { osPaths } from '../../../../src/oci/executable/os-paths.js';
import { programsOf, resolveProgram, type ProgramContext } from '../../../../src/oci/executable/program.js';
import { resolvePath } from '../../../../src/oci/executable/resolve-path.js';

const ELF: TreeNode = {
  kind: 'file',
  mode: 0o755,
  executable: { format: 'elf', header: { bits: 64, endian: 'little', machine: 183 } },
};
const script = (interpreter: string, argument?: string): TreeNode => ({
  kind: 'file',
  mode: 0o755,
  executable: { format: 'script', shebang: argument ? { interpreter, argument } : { interpreter } },
});
const data: TreeNode = { kind: 'file', mode: 0o644 };
const link = (target: string): TreeNode => ({ kind: 'symlink', target });
const hard = (target: string): TreeNode => ({ kind: 'hardlink', target });

/** A tree of `layers`, top layer first, each a list of [path, node]; every layer read whole unless `partial`. */
function tree(layers: Array<Array<[string, TreeNode]>>, partial = false): LayeredTree {
  const built = new LayeredTree();
  layers.forEach((entries, layer) => {
    for (const [path, node] of entries) built.add(layer, path, node);
    built.finishLayer(layer);
  });
  if (!partial) built.finish();
  return built;
}

const where = (t: LayeredTree, path: string): string => {
  const found = resolvePath(t, path);
  return found.status === 'found' ? found.path : found.status;
};

describe('LayeredTree and resolvePath: the file system the layers make', () => {
  it.each<[string, Array<Array<[string, TreeNode]>>, string, string]>([
    ['a file in the only layer', [[['/app', ELF]]], '/app', '/app'],
    ['an upper file over a lower one', [[['/app', data]], [['/app', ELF]]], '/app', '/app'],
    ['a whiteout deleting a lower file', [[['/.wh.app', data]], [['/app', ELF]]], '/app', 'absent'],
    [
      'a whiteout of a directory',
      [[['/opt/.wh.tool', data]], [['/opt/tool/bin', ELF]]],
      '/opt/tool/bin',
      'absent',
    ],
    [
      'an opaque directory hiding the lower content',
      [[['/opt/.wh..wh..opq', data]], [['/opt/app', ELF]]],
      '/opt/app',
      'absent',
    ],
    [
      "an opaque directory keeping its own layer's content",
      [
        [
          ['/opt/.wh..wh..opq', data],
          ['/opt/app', ELF],
        ],
        [['/opt/old', ELF]],
      ],
      '/opt/app',
      '/opt/app',
    ],
    [
      'a relative symlink',
      [
        [
          ['/usr/bin/app', ELF],
          ['/bin', link('usr/bin')],
        ],
      ],
      '/bin/app',
      '/usr/bin/app',
    ],
    [
      'an absolute symlink chain across layers',
      [[['/app', link('/opt/current/app')]], [['/opt/current', link('/opt/v2')]], [['/opt/v2/app', ELF]]],
      '/app',
      '/opt/v2/app',
    ],
    [
      'a symlink with ..',
      [
        [
          ['/usr/local/bin/app', link('../../lib/app/run')],
          ['/usr/lib/app/run', ELF],
        ],
      ],
      '/usr/local/bin/app',
      '/usr/lib/app/run',
    ],
    [
      'a symlink loop',
      [
        [
          ['/a', link('/b')],
          ['/b', link('/a')],
        ],
      ],
      '/a',
      'absent',
    ],
    [
      'a hard link to a file of its layer',
      [
        [
          ['/bin/app', hard('usr/bin/real')],
          ['/usr/bin/real', ELF],
        ],
      ],
      '/bin/app',
      '/bin/app',
    ],
    [
      'an upper symlink hiding a lower directory',
      [
        [['/bin', link('/usr/bin')]],
        [
          ['/bin/app', ELF],
          ['/usr/bin/app', data],
        ],
      ],
      '/bin/app',
      '/usr/bin/app',
    ],
    ['an upper file hiding a lower directory', [[['/opt', data]], [['/opt/app', ELF]]], '/opt/app', 'absent'],
    ['a directory where a file is asked for', [[['/opt/app/x', ELF]]], '/opt/app', 'absent'],
  ])('%s', (_label, layers, path, expected) => {
    expect(where(tree(layers), path)).toBe(expected);
  });

  it('says "pending" until a lower layer decides, and is final once a path is seen', () => {
    const partial = tree([[['/bin', link('usr/bin')]]], true);
    expect(where(partial, '/bin/app')).toBe('pending');
    partial.add(1, '/usr/bin/app', ELF);
    expect(where(partial, '/bin/app')).toBe('/usr/bin/app');
    // A lower layer cannot change what an upper one said.
    partial.add(2, '/bin', { kind: 'dir' });
    partial.add(2, '/usr/bin/app', data);
    expect(resolvePath(partial, '/bin/app')).toMatchObject({ status: 'found', node: ELF });
  });

  it('knows a path is absent under an opaque directory once its layer is read, before the lower ones', () => {
    const partial = tree([[['/opt/.wh..wh..opq', data]]], true);
    expect(where(partial, '/opt/app')).toBe('absent');
    expect(where(partial, '/srv/app')).toBe('pending');
  });
});

function context(t: LayeredTree, path?: string, workingDir = '/'): ProgramContext {
  const paths = osPaths('linux');
  return { tree: t, paths, searchPath: paths.searchPath(path), workingDir };
}

describe('resolveProgram: from the config to the binary that runs', () => {
  it.each<[string, Array<Array<[string, TreeNode]>>, string, string | undefined, string[] | string]>([
    ['an absolute path', [[['/app', ELF]]], '/app', undefined, ['/app']],
    ['a bare name on the default PATH', [[['/usr/bin/app', ELF]]], 'app', undefined, ['app → /usr/bin/app']],
    [
      'a bare name, first PATH entry that has it',
      [
        [
          ['/usr/local/bin/app', ELF],
          ['/bin/app', data],
        ],
      ],
      'app',
      undefined,
      ['app → /usr/local/bin/app'],
    ],
    [
      'a bare name skipping a non-executable file',
      [
        [
          ['/usr/local/bin/app', data],
          ['/usr/bin/app', ELF],
        ],
      ],
      'app',
      undefined,
      ['app → /usr/bin/app'],
    ],
    [
      'a bare name on the config PATH',
      [[['/opt/tool/bin/app', ELF]]],
      'app',
      '/opt/tool/bin:/usr/bin',
      ['app → /opt/tool/bin/app'],
    ],
    [
      'a relative path from the working directory',
      [[['/srv/app/run', ELF]]],
      './run',
      undefined,
      ['./run → /srv/app/run'],
    ],
    [
      'a script to its interpreter',
      [
        [
          ['/entrypoint.sh', script('/bin/sh')],
          ['/bin/sh', link('busybox')],
          ['/bin/busybox', ELF],
        ],
      ],
      '/entrypoint.sh',
      undefined,
      ['/entrypoint.sh', '/bin/sh → /bin/busybox'],
    ],
    [
      'a #!/usr/bin/env NAME script to NAME on PATH',
      [
        [
          ['/app.py', script('/usr/bin/env', 'python3')],
          ['/usr/bin/env', ELF],
          ['/usr/bin/python3', link('python3.12')],
          ['/usr/bin/python3.12', ELF],
        ],
      ],
      '/app.py',
      undefined,
      ['/app.py', '/usr/bin/env', 'python3 → /usr/bin/python3.12'],
    ],
    ['a missing program', [[['/bin/sh', ELF]]], 'app', undefined, 'missing'],
    [
      'a script whose interpreter is missing',
      [[['/run.sh', script('/bin/bash')]]],
      '/run.sh',
      undefined,
      'missing',
    ],
  ])('%s', (_label, layers, name, path, expected) => {
    const result = resolveProgram(
      name,
      context(tree(layers), path, name.startsWith('./') ? '/srv/app' : '/'),
    );
    expect(result.status === 'resolved' ? result.chain : result.status).toEqual(expected);
  });

  it('waits for lower layers when a PATH entry before the one found may still hold the name', () => {
    const partial = tree([[['/usr/bin/app', ELF]]], true);
    expect(resolveProgram('app', context(partial)).status).toBe('pending');
  });
});

describe('programsOf', () => {
  it.each<[string[], ReturnType<typeof programsOf>]>([
    [['/app', '--serve'], { main: '/app' }],
    [
      ['/bin/sh', '-c', 'exec /usr/local/bin/app --port 80'],
      { main: '/bin/sh', shellCommand: '/usr/local/bin/app' },
    ],
    [['/bin/sh', '-c', 'PORT=80 app'], { main: '/bin/sh', shellCommand: 'app' }],
    [['/bin/sh', '-c', 'cd /srv && ./run'], { main: '/bin/sh', shellCommand: 'cd' }],
    [['/bin/sh', '-c', '"$APP"'], { main: '/bin/sh' }],
    [['/app', '-c', 'x'], { main: '/app' }],
    [[], {}],
  ])('%j', (argv, expected) => {
    expect(programsOf(argv)).toEqual(expected);
  });
});
