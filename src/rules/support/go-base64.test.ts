/**
 * goBase64Problem: the reason Go's base64.StdEncoding stops on a value, at the character where it
 * stops, in the order the decoder meets them (go1.19.8 src/encoding/base64/base64.go
 * decodeQuantum). Which values Go accepts is checked against Go itself in
 * test/go-base64/secret-data.test.ts; this table pins the wording of each reason.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goBase64Problem } from './go-base64.js';

describe('goBase64Problem', () => {
  const ACCEPTED = ['', '\n', 'QQ==', 'QUI=', 'QUJD', 'QUJD\r\nREVG\n', 'QQ=\r\n=\n', '+/+/'];
  for (const value of ACCEPTED) it(`accepts ${JSON.stringify(value)}`, () => assert.equal(goBase64Problem(value), undefined));

  // [value, the reason goBase64Problem gives]
  const REASONS: Array<[string, string]> = [
    ['QUJD\tREVG', 'a tab at character 5'],
    ['-_8=', '"-" (URL-safe base64; the API server reads only the standard alphabet, + and /) at character 1'],
    ['QQ', 'no "=" padding: the last group has 2 characters and needs =='],
    ['QUI', 'no "=" padding: the last group has 3 characters and needs ='],
    ['QUJDR', 'a last group of one character (the length without line breaks must be a multiple of four)'],
    ['QQ=', 'only one "=" at character 3: a last group of two characters is padded with "=="'],
    ['QQ=A', 'one "=" at character 3 where the last group of two characters needs "=="'],
    ['Q===', '"=" at character 2, where no padding can be (= only ends a last group of two or three characters)'],
    ['QQ==QUJD', 'text after the "=" padding, at character 5'],
    ['QUJD\u00e9', 'the character U+00E9 at character 5'],
  ];
  for (const [value, reason] of REASONS) it(`gives the reason for ${JSON.stringify(value)}: ${reason}`, () => assert.equal(goBase64Problem(value), reason));
});
