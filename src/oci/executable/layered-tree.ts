import type { ExecutableKind } from './executable-kind.js';

/** One path of the image's file system as the layers read so far leave it. */
export type TreeNode =
  | { kind: 'file'; mode: number; executable?: ExecutableKind }
  | { kind: 'dir' }
  | { kind: 'symlink'; target: string }
  | { kind: 'hardlink'; target: string }
  | { kind: 'whiteout' }
  | { kind: 'other' };

/** What a lookup knows: the node, that nothing is there, or that a layer not yet read decides it. */
export type Lookup = TreeNode | 'absent' | 'pending';

interface Entry {
  /** Counted from the top layer (0), the order layers are read in. */
  layer: number;
  node: TreeNode;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/**
 * The file system an image's layers make, built from the top layer down: a path seen in an upper layer hides the
 * same path below, and so do a whiteout (`.wh.NAME`), an opaque directory (`.wh..wh..opq`) and an upper
 * non-directory on the way. A lookup is final as soon as it can be: layers are read one after another, so once a
 * path is seen no lower layer can change it.
 */
export class LayeredTree {
  private readonly entries = new Map<string, Entry>();
  /** Directories that exist because something beneath them does, with the uppermost layer saying so. */
  private readonly implied = new Map<string, number>();
  /** Directories whose lower-layer content is hidden, with the layer that made them opaque. */
  private readonly opaque = new Map<string, number>();
  /** Layers 0 .. read-1 are read whole. */
  private read = 0;
  private complete = false;

  /** Adds one tar entry of `layer` (the whiteout rules applied); false when an upper layer hides it. */
  add(layer: number, path: string, node: TreeNode): boolean {
    const slash = path.lastIndexOf('/');
    const parent = slash <= 0 ? '/' : path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (name === OPAQUE) {
      if (this.hidden(layer, parent)) return false;
      if (!this.opaque.has(parent)) this.opaque.set(parent, layer);
      this.implyAncestors(path, layer);
      return true;
    }
    if (name.startsWith(WHITEOUT)) {
      return this.add(layer, `${parent === '/' ? '' : parent}/${name.slice(WHITEOUT.length)}`, {
        kind: 'whiteout',
      });
    }
    if (this.hidden(layer, path) || (node.kind !== 'dir' && (this.implied.get(path) ?? layer) < layer)) {
      return false;
    }
    this.entries.set(path, { layer, node });
    this.implyAncestors(path, layer);
    return true;
  }

  /** What is in a directory makes the directory exist in that layer. */
  private implyAncestors(path: string, layer: number): void {
    for (let at = path.lastIndexOf('/'); at > 0; at = path.lastIndexOf('/', at - 1)) {
      const ancestor = path.slice(0, at);
      if ((this.implied.get(ancestor) ?? Infinity) > layer) this.implied.set(ancestor, layer);
    }
  }

  /** `layer` has been read whole: what it did not hold under its opaque directories is not there. */
  finishLayer(layer: number): void {
    this.read = Math.max(this.read, layer + 1);
  }

  /** Every layer has been read: what was not seen is not there. */
  finish(): void {
    this.complete = true;
  }

  /** The node at `path`, whose ancestors the caller has already resolved to directories. */
  lookup(path: string): Lookup {
    const entry = this.entries.get(path);
    if (entry !== undefined) return entry.node.kind === 'whiteout' ? 'absent' : entry.node;
    if (this.implied.has(path) || path === '/') return { kind: 'dir' };
    if (this.complete) return 'absent';
    for (let at = path.lastIndexOf('/'); at >= 0; at = at === 0 ? -1 : path.lastIndexOf('/', at - 1)) {
      const opaqueAt = this.opaque.get(at === 0 ? '/' : path.slice(0, at));
      if (opaqueAt !== undefined && opaqueAt < this.read) return 'absent';
    }
    return 'pending';
  }

  /** True when an upper layer than `layer` decided `path` or made it unreachable. */
  private hidden(layer: number, path: string): boolean {
    const same = this.entries.get(path);
    if (same !== undefined && same.layer < layer) return true;
    for (let at = path.lastIndexOf('/'); at >= 0; at = at === 0 ? -1 : path.lastIndexOf('/', at - 1)) {
      const ancestor = at === 0 ? '/' : path.slice(0, at);
      const above = this.entries.get(ancestor);
      if (above !== undefined && above.layer < layer && above.node.kind !== 'dir') return true;
      if ((this.opaque.get(ancestor) ?? Infinity) < layer) return true;
    }
    return false;
  }
}
