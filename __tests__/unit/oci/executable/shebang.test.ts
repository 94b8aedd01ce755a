import { describe, expect, it } from '@jest/globals';
import { envProgram, parseShebang } from '../../../../src/oci/executable/shebang.js';

describe('parseShebang', () => {
  it.each([
    ['#!/bin/sh\n', { interpreter: '/bin/sh' }],
    ['#! /bin/bash -e\n', { interpreter: '/bin/bash', argument: '-e' }],
    ['#!/usr/bin/env python3\r\nprint(1)', { interpreter: '/usr/bin/env', argument: 'python3' }],
    [
      '#!/usr/bin/env -S node --enable-source-maps\n',
      { interpreter: '/usr/bin/env', argument: '-S node --enable-source-maps' },
    ],
    ['#!\t/bin/sh  \n', { interpreter: '/bin/sh' }],
    ['#!/bin/sh', { interpreter: '/bin/sh' }],
  ])('%j', (text, expected) => {
    expect(parseShebang(Buffer.from(text))).toEqual(expected);
  });

  it.each(['#!\n', '#!   \n', '# !/bin/sh\n', 'echo hi\n', ''])('is no #! line: %j', (text) => {
    expect(parseShebang(Buffer.from(text))).toBeUndefined();
  });
});

describe('envProgram', () => {
  it.each<[string | undefined, string | undefined]>([
    ['python3', 'python3'],
    ['-S node --enable-source-maps', 'node'],
    ['-i LANG=C perl -w', 'perl'],
    ['-S', undefined],
    [undefined, undefined],
  ])('%j runs %j', (argument, program) => {
    expect(envProgram(argument)).toBe(program);
  });
});
