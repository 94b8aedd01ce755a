import { homedir } from 'node:os';
import { buildCredentials } from './action/credentials.js';
import { describeError } from './action/describe-error.js';
import { messageWithCauses } from './common/causes.js';
import { log, maskSecret } from './action/log.js';
import { createCoreLogger } from './action/core-logger.js';
import { idleTimeouts } from './action/timeouts.js';
import { cancelOnSignals, RunBounds } from './action/run-bounds.js';
import { getInputs } from './action/inputs.js';
import { writeLiveTags, writeMissingPlatforms, writeOutputs } from './action/outputs.js';
import { prepareRequest } from './action/prepare-request.js';
import {
  renderFailureSummary,
  renderSummary,
  writeSummary,
  writtenSentence,
  type RunLinks,
} from './action/summary.js';
import { MissingPlatformsError } from './publish/publish-errors.js';
import { publish } from './publish/publish.js';
import type { PublishRequest } from './publish/request.js';
import { RunRecord } from './publish/run-record.js';
import type { RegistryApi } from './registry/api.js';
import { createRegistryClient } from './registry/create-client.js';
import { noteStreamedBytes } from './runtime/read-buffer-reclaim.js';
import { keepWasmOnBaselineCompiler } from './runtime/wasm-tiering.js';
import type { LayoutContent } from './oci/content-source.js';

/**
 * The action: read and validate the inputs (before any network), publish, then set the outputs and write the job
 * summary. Any failure becomes one titled error annotation (saying whether anything was written), a failure
 * summary and a failed step; the registry client is always closed. Every line reaches the log through `log`.
 * SIGINT and SIGTERM (a cancelled job) stop new work; tags already moved are put back, and the error, outputs and
 * summary are still written, within the runner's grace.
 */
export async function run(): Promise<void> {
  let registry: RegistryApi | undefined;
  let request: PublishRequest | undefined;
  let links: RunLinks | undefined;
  let bounds: RunBounds | undefined;
  let restoreSignals: (() => void) | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  const logger = createCoreLogger();
  const record = new RunRecord();
  try {
    const inputs = getInputs();
    request = inputs.request;
    bounds = new RunBounds(inputs.timeout);
    restoreSignals = cancelOnSignals(bounds, (signal) =>
      log.warning(`${signal} received: no new work starts; tags this run moved are put back`),
    );
    const credentials = buildCredentials({
      inputs: inputs.credentials,
      // Verify mode has no targets: username/password are then for the first source's registry.
      targets:
        inputs.request.targets.length > 0
          ? inputs.request.targets
          : inputs.request.sources.flatMap((source) =>
              source.kind === 'reference' ? [source.reference] : [],
            ),
      env: process.env,
      homeDir: homedir(),
      onSecret: maskSecret,
      logger,
    });
    inputs.notices.forEach((notice) => log.notice(notice));
    const prepared = await prepareRequest(inputs, (message) => log.debug(message));
    ({ request, links, cleanup } = prepared);
    registry = createRegistryClient({
      credentials: credentials.store,
      insecureRegistries: inputs.insecureRegistries,
      logger,
      onSecret: maskSecret,
      signal: bounds,
      timeouts: idleTimeouts(process.env),
      runtime: { beforeFirstConnection: keepWasmOnBaselineCompiler, onStreamed: noteStreamedBytes },
    });
    const result = await publish(prepared.request, registry, logger, record, openLayout, bounds);
    writeOutputs(result);
    writeMissingPlatforms(result.missing);
    await writeSummary(renderSummary(result, prepared.request, record, logger.warnings, links));
  } catch (error) {
    if (error instanceof MissingPlatformsError) writeMissingPlatforms(error.missing);
    writeLiveTags(record);
    const failure = describeError(error);
    // Shown only in debug mode. The bundle registers no source map (parsing it cost every run ~0.2 s), so this
    // names bundle positions; NODE_OPTIONS=--enable-source-maps maps them through dist/index.js.map.
    const stack = (error as { stack?: unknown } | null)?.stack;
    if (typeof stack === 'string') log.debug(stack);
    // core.setFailed would add a second, untitled annotation: set the exit code (1, core.ExitCode.Failure, which
    // @github/local-action's stand-in for @actions/core lacks) and annotate once, with a title.
    process.exitCode = 1;
    log.error(`${failure.message}\n${writtenSentence(record)}`, failure.title);
    await writeSummary(renderFailureSummary(failure, record, request, logger.warnings, links));
  } finally {
    bounds?.end();
    bounds?.stop();
    await cleanup?.().catch((error: unknown) => {
      log.warning(`failed to remove the unpacked layouts: ${messageWithCauses(error)}`);
    });
    await registry?.close().catch((error: unknown) => {
      log.warning(`failed to close the registry connections: ${messageWithCauses(error)}`);
    });
    // Last: a signal while the connections close lets the run end on its own rather than cutting it short.
    restoreSignals?.();
  }
}

/** Layout reading is loaded only by the runs that name a layout: it is no part of every run's start-up. */
async function openLayout(path: string, name?: string): Promise<LayoutContent> {
  const { openOciLayout } = await import('./layout/oci-layout.js');
  return openOciLayout(path, name);
}
