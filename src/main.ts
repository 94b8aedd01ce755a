import * as core from '@actions/core';
import { homedir } from 'node:os';
import { buildCredentials } from './action/credentials.js';
import { describeError, messageWithCauses } from './action/errors.js';
import { log } from './action/log.js';
import { createCoreLogger } from './action/logger.js';
import { writeOutputs } from './action/outputs.js';
import { parseInputs } from './action/parse-inputs.js';
import { readRawInputs } from './action/read-inputs.js';
import { renderFailureSummary, renderSummary, writeSummary, writtenSentence } from './action/summary.js';
import { publish } from './publish/publish.js';
import type { PublishRequest } from './publish/request.js';
import { RunRecord } from './publish/run-record.js';
import type { RegistryApi } from './registry/api.js';
import { createRegistryClient } from './registry/create-client.js';

/**
 * The action: read and validate the inputs (before any network), publish, then set the outputs and write the job
 * summary. Any failure becomes one titled error annotation (saying whether anything was written), a failure
 * summary and a failed step; the registry client is always closed. Every line reaches the log through `log`.
 */
export async function run(): Promise<void> {
  let credentialSources: ReadonlyMap<string, string> = new Map();
  let registry: RegistryApi | undefined;
  let request: PublishRequest | undefined;
  const logger = createCoreLogger();
  const record = new RunRecord();
  try {
    const inputs = parseInputs(readRawInputs());
    request = inputs.request;
    const credentials = buildCredentials({
      inputs: inputs.credentials,
      targets: inputs.request.targets,
      env: process.env,
      homeDir: homedir(),
      onSecret: (secret) => core.setSecret(secret),
      logger,
    });
    credentialSources = credentials.sources;
    inputs.notices.forEach((notice) => log.notice(notice));
    registry = createRegistryClient({
      credentials: credentials.store,
      insecureRegistries: inputs.insecureRegistries,
      logger,
      onSecret: (secret) => core.setSecret(secret),
    });
    const result = await publish(inputs.request, registry, logger, record);
    writeOutputs(result);
    await writeSummary(renderSummary(result, inputs.request, record, logger.warnings));
  } catch (error) {
    const failure = describeError(error, credentialSources);
    const stack = (error as { stack?: unknown } | null)?.stack;
    if (typeof stack === 'string') log.debug(stack);
    // core.setFailed would add a second, untitled annotation: set the exit code and annotate once, with a title.
    process.exitCode = core.ExitCode.Failure;
    log.error(`${failure.message}\n${writtenSentence(record)}`, failure.title);
    await writeSummary(renderFailureSummary(failure, record, request, logger.warnings));
  } finally {
    await registry?.close().catch((error: unknown) => {
      log.warning(`failed to close the registry connections: ${messageWithCauses(error)}`);
    });
  }
}
