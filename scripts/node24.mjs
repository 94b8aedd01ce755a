// Runs a command under Node 24, the runtime the action declares in action.yml.
//
//   node scripts/node24.mjs <command> [args...]
//
// On Node 24 or later it just runs the command. On an older Node it brings Node 24 from the npm
// registry (the node-<os>-<arch> package, unpacked once into a cache folder) and runs the command
// with that Node first on PATH, so `node` in the command and in every process it spawns is Node 24.
// The dev tools (tsc, eslint, prettier, ncc) run on Node 20 too; what loads undici 8 or runs
// dist/index.js (the tests, the demo) needs Node 24 and goes through this script.
//
// Plain JavaScript that Node 18 and later run as it is. Every failure ends in one sentence that
// says what to do, never in a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

const MAJOR = 24;

const [command, ...args] = process.argv.slice(2);
const major = (version) => Number(version.split('.')[0]);
try {
  if (!command) throw new Error('usage: node scripts/node24.mjs <command> [args...]');
  run(major(process.versions.node) >= MAJOR ? process.env : withNodeFirst(binOf(nodeHome())));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

// The same cache .ci/run uses (it runs itself through this script).
function nodeHome() {
  const home = process.env.NODE24_HOME || join(homedir(), '.cache', 'multiarch-publish', 'node24');
  if (!existsSync(binOf(home))) install(home);
  const version = (
    spawnSync(binOf(home), ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout || ''
  ).trim();
  if (!(major(version) >= MAJOR)) {
    throw new Error(
      `${home} does not hold a working Node ${MAJOR} (found ${version || 'none'}): remove it and run again.`,
    );
  }
  return home;
}

function binOf(home) {
  return join(home, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
}

function install(home) {
  const os = process.platform === 'win32' ? 'win' : process.platform;
  const arch = { arm: 'armv7l', ppc64: 'ppc64le', ia32: 'x86' }[process.arch] || process.arch;
  const pkg = `node-${os}-${arch}@${MAJOR}`;
  const instead = `install Node ${MAJOR} (https://nodejs.org/) and run this again with it first on PATH.`;
  if (existsSync(home) && readdirSync(home).length > 0) {
    throw new Error(
      `${home} holds no Node ${MAJOR}: remove it, or set NODE24_HOME to an empty or new folder.`,
    );
  }
  console.error(
    `Node ${process.versions.node} is older than ${MAJOR}: fetching ${pkg} from the npm registry into ${home}`,
  );

  // Unpacked beside the cache and renamed into place, so that two scripts started together never
  // see half a Node.
  mkdirSync(dirname(home), { recursive: true });
  const work = mkdtempSync(`${home}.partial-`);
  try {
    // npm_execpath is the npm running this script (npm run); outside npm, the npm on PATH.
    const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
    const pack = spawnSync(npm[0], [...npm.slice(1), 'pack', '--loglevel=error', pkg], {
      cwd: work,
      encoding: 'utf8',
      shell: npm.length === 1 && process.platform === 'win32',
    });
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (pack.status !== 0 || !tarball) {
      const npmCode = /code (\S+)/.exec(pack.stderr || '');
      const why = npmCode ? npmCode[1] : pack.error ? pack.error.code : `exit ${pack.status}`;
      throw new Error(`Could not fetch ${pkg} from the npm registry (npm: ${why}): ${instead}`);
    }
    const unpacked = join(work, 'node');
    mkdirSync(unpacked);
    const tar = spawnSync('tar', ['-xzf', join(work, tarball), '-C', unpacked, '--strip-components=1'], {
      stdio: 'inherit',
    });
    if (tar.status !== 0 || !existsSync(binOf(unpacked)))
      throw new Error(`Could not unpack ${pkg} into ${home}: ${instead}`);
    try {
      renameSync(unpacked, home);
    } catch (error) {
      // Another script installed it meanwhile (the folder is no longer empty): use theirs.
      if (!existsSync(binOf(home)))
        throw new Error(`Could not install ${pkg} into ${home} (${error.code}): ${instead}`, {
          cause: error,
        });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function withNodeFirst(node) {
  const pathKey = Object.keys(process.env).find((key) => key.toUpperCase() === 'PATH') || 'PATH';
  const env = { ...process.env, [pathKey]: `${dirname(node)}${delimiter}${process.env[pathKey] || ''}` };
  // npm run points these at the Node that started it; tools that read them get Node 24 too.
  for (const key of ['NODE', 'npm_node_execpath']) if (key in env) env[key] = node;
  return env;
}

function run(env) {
  const child = spawn(command, args, { env, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  child.on('error', (error) => {
    console.error(`Could not run ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const s of signals) process.off(s, forward);
    // Die of the same signal as the command, so that callers see how it ended.
    if (signal) process.kill(process.pid, signal);
    else process.exit(code);
  });
}
