import * as core from '@actions/core';
import { INPUT_NAMES, type RawInputs } from './raw-inputs.js';

/** Reads every input from the runner; validation is parseInputs' job, so nothing here throws. */
export function readRawInputs(): RawInputs {
  return Object.fromEntries(INPUT_NAMES.map((name) => [name, core.getInput(name)])) as RawInputs;
}
