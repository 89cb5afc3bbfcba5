// A statement's Principal: everyone, or named callers of the store, which identifies callers by access key id.
//
// S3 accepts `"Principal": "*"` and `{"AWS": ...}` with `*`, account ids and IAM ARNs
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html);
// a string other than "*" is "Invalid policy syntax." and an unusable AWS value "Invalid principal
// in policy" on S3. This store has one account and no IAM users, so:
// - an access key id names the caller that signs with it;
// - `arn:aws:iam::<account>:user/<name>` names the access key id `<name>`;
// - `arn:aws:iam::<account>:root` names the account, i.e. every credential of the store (on AWS an
//   account principal stands for all of the account's identities). The store has no account id of
//   its own, so any 12-digit account is taken as its own.
import { MSG, malformed } from './messages.js';
import type { PolicyPrincipal } from './types.js';

/** The access key ids the store accepts (main/agent/store/storeCredentials.ts). */
const ACCESS_KEY_ID = /^[A-Za-z0-9._-]{3,128}$/;
const ROOT_ARN = /^arn:aws:iam::\d{12}:root$/;
const USER_ARN = /^arn:aws:iam::\d{12}:user\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

const EVERYONE: PolicyPrincipal = { everyone: true, accessKeyIds: [], account: false };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parsePrincipal(value: unknown): PolicyPrincipal {
  if (value === '*') return EVERYONE;
  // A string other than "*" (even an ARN) or a non-object is a syntax fault on S3, not a principal one.
  if (!isObject(value)) throw malformed(MSG.syntax);
  const entries = Object.entries(value);
  if (entries.length === 0) throw malformed(MSG.principal);
  const accessKeyIds: string[] = [];
  let account = false;
  for (const [type, named] of entries) {
    if (type === 'Service' || type === 'CanonicalUser' || type === 'Federated') {
      throw malformed(MSG.unsupported(`The principal type ${type}`));
    }
    if (type !== 'AWS') throw malformed(MSG.principal);
    const list: unknown[] = Array.isArray(named) ? named : [named];
    if (list.length === 0 || !list.every((v): v is string => typeof v === 'string')) throw malformed(MSG.principal);
    if (list.includes('*')) {
      // S3 refuses "*" listed next to other principals.
      if (list.length > 1 || entries.length > 1) throw malformed(MSG.principal);
      return EVERYONE;
    }
    for (const text of list) {
      const user = USER_ARN.exec(text);
      if (user) accessKeyIds.push(user[1]!);
      else if (ROOT_ARN.test(text)) account = true;
      else if (ACCESS_KEY_ID.test(text)) accessKeyIds.push(text);
      else throw malformed(MSG.principal);
    }
  }
  return { everyone: false, accessKeyIds, account };
}

/** Every request reaching a policy check has been authenticated, so `principal` is always an access key id. */
export function principalMatches(principal: PolicyPrincipal, accessKeyId: string): boolean {
  return principal.everyone || principal.account || principal.accessKeyIds.includes(accessKeyId);
}
