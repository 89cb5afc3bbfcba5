import { describe, expect, it } from 'vitest';
import { assertCustomerAliasName } from '../../../../main/core/keys/kms/aliasName.js';
import { expectKmsError } from './kmsFixture.js';

describe('alias name rules', () => {
  it('accepts alias/ followed by letters, digits, /, _ and -', () => {
    for (const ok of ['alias/a', 'alias/Photos_2026', 'alias/team/project-x', `alias/${'a'.repeat(250)}`]) expect(() => assertCustomerAliasName(ok)).not.toThrow();
  });

  it("answers AWS's ValidationException for a missing prefix, bad characters or length", () => {
    expectKmsError(() => assertCustomerAliasName('photos'), 'ValidationException', 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
    expectKmsError(() => assertCustomerAliasName('alias/has space'), 'ValidationException', /regular expression pattern/);
    expectKmsError(() => assertCustomerAliasName('alias/a:b'), 'ValidationException', 'alias/a:b contains invalid characters for an alias');
    expectKmsError(() => assertCustomerAliasName('alias/'), 'ValidationException', 'alias/ contains invalid characters for an alias');
    expectKmsError(() => assertCustomerAliasName(`alias/${'a'.repeat(251)}`), 'ValidationException', /less than or equal to 256/);
  });

  it('reserves alias/aws/ for AWS managed keys', () => {
    expectKmsError(() => assertCustomerAliasName('alias/aws/s3'), 'NotAuthorizedException');
    expectKmsError(() => assertCustomerAliasName('alias/aws/mine'), 'NotAuthorizedException');
    expect(() => assertCustomerAliasName('alias/awsome')).not.toThrow();
  });
});
