import * as core from '@actions/core';
import { homedir } from 'node:os';
import { buildCredentials } from './action/credentials.js';
import { describeError, messageWithCauses } from './action/errors.js';
import { createCoreLogger } from './action/logger.js';
import { getInputs } from './action/inputs.js';
import { writeOutputs } from './action/outputs.js';
import { prepareRequest } from './action/prepare-request.js';
import { writeSummary } from './action/summary.js';
import { publish } from './publish/publish.js';
import type { RegistryApi } from './registry/api.js';
import { createRegistryClient } from './registry/create-client.js';

/**
 * The action: read and validate the inputs (before any network), publish, then set the outputs and write the job
 * summary. Any failure becomes one titled error annotation and a failed step; the registry client is always closed.
 */
export async function run(): Promise<void> {
  let registry: RegistryApi | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  const logger = createCoreLogger();
  try {
    const inputs = getInputs();
    const credentials = buildCredentials({
      inputs: inputs.credentials,
      targets: inputs.request.targets,
      env: process.env,
      homeDir: homedir(),
      onSecret: (secret) => core.setSecret(secret),
      logger,
    });
    inputs.notices.forEach((notice) => core.notice(notice));
    const prepared = await prepareRequest(inputs, (message) => core.debug(message));
    cleanup = prepared.cleanup;
    registry = createRegistryClient({
      credentials: credentials.store,
      insecureRegistries: inputs.insecureRegistries,
      logger,
      onSecret: (secret) => core.setSecret(secret),
    });
    const result = await publish(prepared.request, registry, logger);
    writeOutputs(result);
    await writeSummary(result, prepared.request, logger.warnings, prepared.links);
  } catch (error) {
    const { title, message } = describeError(error);
    const stack = (error as { stack?: unknown } | null)?.stack;
    if (typeof stack === 'string') core.debug(stack);
    // core.setFailed would add a second, untitled annotation: set the exit code and annotate once, with a title.
    process.exitCode = core.ExitCode.Failure;
    core.error(message, { title });
  } finally {
    await cleanup?.().catch((error: unknown) => {
      core.warning(`failed to remove the unpacked layouts: ${messageWithCauses(error)}`);
    });
    await registry?.close().catch((error: unknown) => {
      core.warning(`failed to close the registry connections: ${messageWithCauses(error)}`);
    });
  }
}
