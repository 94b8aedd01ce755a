// Just enough Markdown and action.yml reading for the docs tests: the README's tables and fenced blocks, and
// action.yml's inputs and outputs. action.yml keeps a simple shape (two-space keys, `default:` on one line),
// so a few lines of parsing stand in for a YAML dependency.

/** One input or output as action.yml declares it. */
export interface ActionEntry {
  name: string;
  /** The default as the runner sees it ('' when none is declared). */
  default: string;
}

/** The entries of a top-level section of action.yml (`inputs` or `outputs`), in order. */
export function actionEntries(actionYml: string, section: 'inputs' | 'outputs'): ActionEntry[] {
  const lines = actionYml.split('\n');
  const start = lines.indexOf(`${section}:`);
  if (start < 0) throw new Error(`action.yml has no ${section}: section`);
  const entries: ActionEntry[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break; // the next top-level key
    const entry = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (entry) entries.push({ name: entry[1]!, default: '' });
    const value = /^ {4}default:\s*(.*)$/.exec(line);
    if (value && entries.length > 0) entries[entries.length - 1]!.default = unquote(value[1]!.trim());
  }
  return entries;
}

function unquote(text: string): string {
  if (text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  if (text.startsWith('"') && text.endsWith('"')) return JSON.parse(text) as string;
  return text;
}

/** The body of the section under `heading` (a line such as `## Inputs`), up to the next heading of its level. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no "${heading}" heading`);
  const level = /^#+/.exec(heading)![0];
  const end = lines.findIndex((line, i) => i > start && new RegExp(`^#{1,${level.length}} `).test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The rows of the first table in `markdown`, each as its cells (trimmed), header and separator left out. */
export function tableRows(markdown: string): string[][] {
  const rows = markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, line.trimEnd().endsWith('|') ? line.trimEnd().length - 1 : undefined)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  return rows.slice(2);
}

/** A fenced code block, with the line of the Markdown it starts on and the comment line just above it. */
export interface FencedBlock {
  language: string;
  content: string;
  line: number;
  /** The nearest non-blank line before the opening fence. */
  before: string;
}

export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const close = lines.findIndex((line, j) => j > i && line === '```');
    if (close < 0) throw new Error(`unclosed code block at line ${i + 1}`);
    let previous = i - 1;
    while (previous >= 0 && lines[previous]!.trim() === '') previous--;
    blocks.push({
      language: open[1]!,
      content: lines.slice(i + 1, close).join('\n') + '\n',
      line: i + 1,
      before: previous >= 0 ? lines[previous]!.trim() : '',
    });
    i = close;
  }
  return blocks;
}
