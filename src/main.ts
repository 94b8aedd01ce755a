import * as core from '@actions/core';
import { Agent } from 'undici';

export async function run(): Promise<void> {
  core.info(`probe ${typeof Agent}`);
}
