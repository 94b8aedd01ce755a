// The layers of docs/ARCHITECTURE.md as allow-lists: for each part of src/, what it may import of ours and which
// packages. A file belongs to the longest part that contains it. Every import counts: static, `export … from`,
// `import type`, dynamic `import()` and `import('…').Type`. A dynamic import whose specifier is not a string
// literal cannot be checked, so it is refused. A test holds this table and the one in docs/ARCHITECTURE.md equal.
import { dirname, relative, resolve, sep } from 'node:path';

const ALL_OURS = ['src/action/', 'src/publish/', 'src/registry/', 'src/layout/', 'src/oci/', 'src/common/'];

/** Part of src/ → { ours: parts it may import, packages: packages it may import (`*` ends a prefix) }. */
export const LAYERS = {
  'src/index.ts': { ours: ['src/main.ts'], packages: [] },
  'src/main.ts': { ours: [...ALL_OURS, 'src/runtime/'], packages: ['@actions/core', 'node:*'] },
  'src/action/': { ours: ALL_OURS, packages: ['@actions/*', 'node:*'] },
  'src/runtime/': { ours: ['src/runtime/'], packages: ['node:v8', 'node:vm'] },
  'src/publish/': {
    ours: ['src/publish/', 'src/registry/api.ts', 'src/oci/', 'src/common/'],
    packages: ['node:stream', 'node:zlib'],
  },
  'src/registry/': {
    ours: ['src/registry/', 'src/oci/', 'src/common/'],
    packages: ['undici', 'node:stream'],
  },
  'src/registry/auth/': {
    ours: [
      'src/registry/auth/',
      'src/registry/http/',
      'src/registry/credentials/',
      'src/registry/quirks/',
      'src/oci/',
      'src/common/',
    ],
    packages: [],
  },
  'src/registry/http/': {
    ours: ['src/registry/http/', 'src/registry/quirks/', 'src/oci/', 'src/common/'],
    packages: ['undici', 'node:http', 'node:stream', 'node:timers/promises'],
  },
  'src/registry/quirks/': { ours: ['src/registry/quirks/', 'src/oci/', 'src/common/'], packages: [] },
  'src/registry/content/': {
    ours: ['src/registry/content/', 'src/oci/', 'src/common/'],
    packages: ['node:stream'],
  },
  'src/registry/credentials/': {
    ours: ['src/registry/credentials/', 'src/oci/', 'src/common/'],
    packages: ['node:child_process', 'node:fs/promises', 'node:path'],
  },
  'src/layout/': {
    ours: ['src/layout/', 'src/oci/', 'src/common/'],
    packages: ['node:fs', 'node:fs/promises', 'node:path', 'node:stream', 'node:zlib'],
  },
  'src/oci/': { ours: ['src/oci/', 'src/common/'], packages: ['node:crypto'] },
  'src/common/': { ours: ['src/common/'], packages: [] },
};

/** The longest key of LAYERS that contains `path` (relative to the repository, `/`-separated). */
export function layerOf(path) {
  let best;
  for (const key of Object.keys(LAYERS)) {
    const inside = key.endsWith('/') ? path.startsWith(key) : path === key;
    if (inside && (best === undefined || key.length > best.length)) best = key;
  }
  return best;
}

function allowsOurs(layer, target) {
  return LAYERS[layer].ours.some((part) => (part.endsWith('/') ? target.startsWith(part) : target === part));
}

function allowsPackage(layer, specifier) {
  return LAYERS[layer].packages.some((pattern) =>
    pattern.endsWith('*') ? specifier.startsWith(pattern.slice(0, -1)) : specifier === pattern,
  );
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'each part of src/ imports only what docs/ARCHITECTURE.md allows it' },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const file = relative(root, context.filename).split(sep).join('/');
    const layer = layerOf(file);
    if (layer === undefined) {
      return {
        Program(node) {
          context.report({
            node,
            message: `${file} is in no layer of docs/ARCHITECTURE.md: add it there and to eslint-rules/layers.mjs`,
          });
        },
      };
    }
    const check = (node, source) => {
      if (source?.type !== 'Literal' || typeof source.value !== 'string') {
        context.report({
          node,
          message: 'a dynamic import must name its module literally, so its layer can be checked',
        });
        return;
      }
      const specifier = source.value;
      if (specifier.startsWith('.')) {
        const target = relative(root, resolve(dirname(context.filename), specifier.replace(/\.js$/, '.ts')))
          .split(sep)
          .join('/');
        if (!allowsOurs(layer, target)) {
          context.report({
            node: source,
            message: `${layer} may not import ${target} (docs/ARCHITECTURE.md, Layers)`,
          });
        }
      } else if (!allowsPackage(layer, specifier)) {
        context.report({
          node: source,
          message: `${layer} may not import the package ${specifier} (docs/ARCHITECTURE.md, Layers)`,
        });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportType: (node) => check(node, node.argument?.literal ?? node.argument),
    };
  },
};
