import { describe, expect, it } from '@jest/globals';
import { run } from '../../src/main.js';
describe('smoke', () => { it('runs', async () => { expect(typeof run).toBe('function'); }); });
