// PG_URL is taken only as a postgres:// URL, and no form of it ever prints its password.
import { describe, expect, it } from 'vitest';
import { pgUrlFromEnv, redactPgUrl } from '../../../src/adapters/postgres/pgConnect.js';
import { PtError } from '../../../src/core/ptError.js';

const refused = (url: string): PtError => {
  try {
    pgUrlFromEnv({ PG_URL: url });
  } catch (e) {
    return e as PtError;
  }
  throw new Error(`accepted ${url}`);
};

describe('PG_URL', () => {
  it('refuses the key=value form, other schemes and an unencoded # in the password, never echoing the value', () => {
    for (const url of [
      'host=127.0.0.1 user=postgres password=S3cr3tPW dbname=nodb',
      'mysql://root:S3cr3tPW@127.0.0.1/db',
      'postgres://root:S3c#r3tPW@127.0.0.1/db',
    ]) {
      const e = refused(url);
      expect(e.id).toBe('CORE_ENV_INVALID');
      expect(e.message).not.toContain('S3c');
    }
    expect(pgUrlFromEnv({ PG_URL: 'postgres://root:S3cr3t%23PW@127.0.0.1:5432/db' })).toContain('127.0.0.1');
  });

  it('redacts a password in the URL, in ?password= and in key=value text', () => {
    for (const text of [
      'postgres://u:S3cr3tPW@h/db',
      'postgres://u@h/db?sslmode=disable&password=S3cr3tPW',
      'host=h user=u password=S3cr3tPW dbname=d',
      "host=h password='S3cr3t PW' dbname=d",
    ])
      expect(redactPgUrl(text)).not.toMatch(/S3cr3t/);
  });
});
