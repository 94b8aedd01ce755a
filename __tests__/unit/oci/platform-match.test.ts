import { describe, expect, it } from '@jest/globals';
import { parsePlatform, platformMatches, type Platform } from '../../../src/oci/platform.js';

const WINDOWS_2019: Platform = { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.5830' };
const WINDOWS_2022: Platform = { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2461' };

describe('platformMatches: a platform as the user writes it against what an image is', () => {
  it.each<[string, Platform, boolean]>([
    // Linux variants: compared normalized, as everywhere else.
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }, true],
    ['linux/amd64', { os: 'linux', architecture: 'x86_64' }, true],
    ['linux/amd64', { os: 'linux', architecture: 'amd64', variant: 'v3' }, false],
    ['linux/amd64/v3', { os: 'linux', architecture: 'amd64' }, false],
    ['linux/arm64', { os: 'linux', architecture: 'arm64', variant: 'v8' }, true],
    ['linux/arm64/v8', { os: 'linux', architecture: 'arm64' }, true],
    ['linux/arm64', { os: 'linux', architecture: 'aarch64' }, true],
    ['linux/arm64', { os: 'linux', architecture: 'amd64' }, false],
    ['linux/arm', { os: 'linux', architecture: 'arm', variant: 'v7' }, true],
    ['linux/arm/v7', { os: 'linux', architecture: 'arm' }, true],
    ['linux/arm/v7', { os: 'linux', architecture: 'arm', variant: 'v6' }, false],
    ['linux/arm/v6', { os: 'linux', architecture: 'armel' }, true],
    ['linux/amd64', { os: 'windows', architecture: 'amd64' }, false],
    // A Linux image never has os.version, but a required one is still honoured.
    ['linux(5.15)/amd64', { os: 'linux', architecture: 'amd64' }, false],
    // Windows: no os.version wanted covers every version.
    ['windows/amd64', WINDOWS_2019, true],
    ['windows/amd64', WINDOWS_2022, true],
    ['windows/amd64', { os: 'windows', architecture: 'amd64' }, true],
    ['windows/arm64', WINDOWS_2019, false],
    // A wanted os.version matches on the components it gives.
    ['windows(10.0.17763)/amd64', WINDOWS_2019, true],
    ['windows(10.0.17763.5830)/amd64', WINDOWS_2019, true],
    ['windows(10.0)/amd64', WINDOWS_2022, true],
    ['windows(10.0.17763)/amd64', WINDOWS_2022, false],
    ['windows(10.0.17763.5831)/amd64', WINDOWS_2019, false],
    ['windows(10.0.1776)/amd64', WINDOWS_2019, false],
    ['windows(10.0.17763)/amd64', { os: 'windows', architecture: 'amd64' }, false],
    // Wanted os.features must all be there; extra ones do not matter.
    ['windows(10.0.17763+win32k)/amd64', { ...WINDOWS_2019, 'os.features': ['win32k'] }, true],
    ['windows(10.0.17763+win32k)/amd64', WINDOWS_2019, false],
    ['windows/amd64', { ...WINDOWS_2019, 'os.features': ['win32k'] }, true],
  ])('%s against %j: %s', (wanted, actual, expected) => {
    expect(platformMatches(parsePlatform(wanted), actual)).toBe(expected);
  });
});
