import { describe, expect, it } from 'vitest';
import { startupOptions } from './database';

describe('startupOptions', () => {
  it('sends each setting as -c name=value, escaping spaces and backslashes in the value', () => {
    expect(
      startupOptions([
        ['enable_seqscan', 'off'],
        ['pg_trgm.word_similarity_threshold', '0.6'],
        ['application_name', 'newhms search \\ desk'],
      ]),
    ).toBe(
      '-c enable_seqscan=off -c pg_trgm.word_similarity_threshold=0.6 -c application_name=newhms\\ search\\ \\\\\\ desk',
    );
  });

  it('refuses a name that is not a setting name, so nothing else can ride in the options', () => {
    expect(() => startupOptions([['enable_seqscan=off -c work_mem', '1GB']])).toThrow(/not a setting name/);
    expect(() => startupOptions([['', 'x']])).toThrow(/not a setting name/);
  });
});
