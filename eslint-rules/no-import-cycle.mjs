// Reports an import that closes a cycle between modules of the project. Relative specifiers are resolved as
// TypeScript's NodeNext resolution does for our sources (`./x.js` is `./x.ts`); packages and node: modules are
// outside the graph. `import type` and `export type` are erased from the emitted JavaScript (verbatimModuleSyntax),
// so they make no runtime cycle and count only with the `typeImports: true` option. The linted file's imports come
// from its AST; every other file's from TypeScript's parser, cached by modification time so an editor sees edits.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

const scanned = new Map();

/** The project file a relative specifier names, or undefined (a package, or no such file). */
function resolveImport(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const file = resolve(dirname(from), specifier.replace(/\.js$/, '.ts'));
  return existsSync(file) ? file : undefined;
}

/** The project files `file` imports or re-exports from, read from disk, each marked type-only or not. */
function importsOf(file) {
  const mtime = statSync(file).mtimeMs;
  const cached = scanned.get(file);
  if (cached?.mtime === mtime) return cached.imports;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const imports = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    const target = specifier && ts.isStringLiteral(specifier) && resolveImport(file, specifier.text);
    const typeOnly = ts.isImportDeclaration(statement)
      ? statement.importClause?.isTypeOnly === true
      : statement.isTypeOnly;
    if (target) imports.push({ target, typeOnly });
  }
  scanned.set(file, { mtime, imports });
  return imports;
}

/** The shortest import path from `start` to `goal` (both included), or undefined when there is none. */
function importPath(start, goal, typeImports) {
  const previous = new Map([[start, undefined]]);
  for (const queue = [start]; queue.length > 0;) {
    const file = queue.shift();
    if (file === goal) {
      const path = [];
      for (let step = goal; step !== undefined; step = previous.get(step)) path.unshift(step);
      return path;
    }
    for (const { target, typeOnly } of importsOf(file)) {
      if ((typeImports || !typeOnly) && !previous.has(target)) {
        previous.set(target, file);
        queue.push(target);
      }
    }
  }
  return undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'disallow imports that make a cycle between modules' },
    schema: [
      { type: 'object', properties: { typeImports: { type: 'boolean' } }, additionalProperties: false },
    ],
    messages: { cycle: 'import cycle: {{cycle}}' },
  },
  create(context) {
    const file = context.filename;
    const typeImports = context.options[0]?.typeImports === true;
    const check = (node) => {
      if (typeof node.source?.value !== 'string') return;
      const typeOnly = node.importKind === 'type' || node.exportKind === 'type';
      const target = (typeImports || !typeOnly) && resolveImport(file, node.source.value);
      const path = target && importPath(target, file, typeImports);
      if (path) {
        const cycle = [file, ...path].map((step) => relative(context.cwd, step)).join(' → ');
        context.report({ node: node.source, messageId: 'cycle', data: { cycle } });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
