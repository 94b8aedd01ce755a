import * as core from '@actions/core';
import { homedir } from 'node:os';
import { buildCredentials } from './action/credentials.js';
import { describeError, messageWithCauses } from './action/errors.js';
import { createCoreLogger } from './action/logger.js';
import { redactingLogger } from './action/redacting-logger.js';
import { redactCredentials } from './common/redact.js';
import { idleTimeouts, startDeadline } from './action/timeouts.js';
import { getInputs } from './action/inputs.js';
import { writeOutputs } from './action/outputs.js';
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
  let deadline: ReturnType<typeof startDeadline> | undefined;
  const logger = redactingLogger(createCoreLogger());
  try {
    const inputs = getInputs();
    deadline = startDeadline(inputs.timeout.ms, inputs.timeout.text);
    const credentials = buildCredentials({
      inputs: inputs.credentials,
      targets: inputs.request.targets,
      env: process.env,
      homeDir: homedir(),
      onSecret: (secret) => core.setSecret(secret),
      logger,
    });
    inputs.notices.forEach((notice) => core.notice(redactCredentials(notice)));
    registry = createRegistryClient({
      credentials: credentials.store,
      insecureRegistries: inputs.insecureRegistries,
      logger,
      onSecret: (secret) => core.setSecret(secret),
      signal: deadline.signal,
      timeouts: idleTimeouts(process.env),
    });
    const result = await publish(inputs.request, registry, logger);
    writeOutputs(result);
    await writeSummary(result, inputs.request, logger.warnings);
  } catch (error) {
    const { title, message } = describeError(error);
    const stack = (error as { stack?: unknown } | null)?.stack;
    if (typeof stack === 'string') core.debug(redactCredentials(stack));
    // core.setFailed would add a second, untitled annotation: set the exit code and annotate once, with a title.
    process.exitCode = core.ExitCode.Failure;
    core.error(message, { title });
  } finally {
    deadline?.stop();
    await registry?.close().catch((error: unknown) => {
      core.warning(
        redactCredentials(`failed to close the registry connections: ${messageWithCauses(error)}`),
      );
    });
  }
}
