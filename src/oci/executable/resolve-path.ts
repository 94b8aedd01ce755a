import type { LayeredTree, TreeNode } from './layered-tree.js';

export type FileNode = Extract<TreeNode, { kind: 'file' }>;

/** Where a path leads: a regular file, nothing, or not known until lower layers are read. */
export type Resolution =
  | { status: 'found'; path: string; node: FileNode }
  | { status: 'absent'; path: string; why: string }
  | { status: 'pending' };

/** Linux gives up after 40 symbolic links in one lookup (ELOOP). */
const MAX_LINKS = 40;

/** Follows `path` (relative to `cwd`) through the tree as the kernel would: symbolic links, `..`, hard links. */
export function resolvePath(tree: LayeredTree, path: string, cwd = '/'): Resolution {
  const queue = [...(path.startsWith('/') ? [] : split(cwd)), ...split(path)];
  const current: string[] = [];
  let links = 0;
  while (queue.length > 0) {
    const part = queue.shift() as string;
    if (part === '..') {
      current.pop();
      continue;
    }
    const here = `/${[...current, part].join('/')}`;
    const node = tree.lookup(here);
    if (node === 'pending') return { status: 'pending' };
    if (node === 'absent') return { status: 'absent', path: here, why: `${here} does not exist` };
    if (node.kind === 'dir') {
      current.push(part);
    } else if (node.kind === 'symlink') {
      if (++links > MAX_LINKS)
        return { status: 'absent', path: here, why: `too many symbolic links at ${here}` };
      if (node.target.startsWith('/')) current.length = 0;
      queue.unshift(...split(node.target));
    } else if (queue.length > 0) {
      return { status: 'absent', path: here, why: `${here} is not a directory` };
    } else {
      return fileAt(tree, here, node);
    }
  }
  const at = `/${current.join('/')}`;
  return { status: 'absent', path: at, why: `${at} is a directory` };
}

function fileAt(
  tree: LayeredTree,
  path: string,
  node: Exclude<TreeNode, { kind: 'dir' | 'symlink' }>,
): Resolution {
  if (node.kind === 'file') return { status: 'found', path, node };
  if (node.kind === 'hardlink') {
    // A hard link names the file it shares content with by its path in the same archive.
    const target = tree.lookup(`/${split(node.target).join('/')}`);
    if (target === 'pending') return { status: 'pending' };
    if (target !== 'absent' && target.kind === 'file') return { status: 'found', path, node: target };
    return { status: 'absent', path, why: `${path} is a hard link to ${node.target}, which is not a file` };
  }
  return { status: 'absent', path, why: `${path} is not a regular file` };
}

function split(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}
