// The MalformedPolicy texts PutBucketPolicy answers with, S3's own where S3 has one for the fault.
//
// S3 sends code MalformedPolicy (400) for every fault of a policy document, its size included
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html). The texts below were
// taken from S3 answers quoted in public issue threads; the ones ending "not supported by this
// store" are ours, for policy language S3 accepts but this store does not evaluate: refusing it
// is safer than storing a Deny that silently never applies.
import { S3Error } from '../errors.js';

/** "Bucket policies are limited to 20 KB in size" (S3 User Guide, using-iam-policies.html). */
export const MAX_POLICY_BYTES = 20 * 1024;

export const MSG = {
  notJson: "Policies must be valid JSON and the first byte must be '{'",
  invalidJson: 'This policy contains invalid Json',
  tooLarge: `Normalized policy document exceeds the maximum allowed size of ${MAX_POLICY_BYTES} bytes`,
  syntax: 'Invalid policy syntax.',
  version: 'The policy must contain a valid version string',
  emptyStatement: 'Could not parse the policy: Statement is empty!',
  principal: 'Invalid principal in policy',
  action: 'Policy has invalid action',
  resource: 'Policy has invalid resource',
  notApplicable: 'Action does not apply to any resource(s) in statement',
  conditionKey: 'Policy has an invalid condition key',
  conditionNotApplicable: 'Conditions do not apply to combination of actions and resources in statement',
  missingField: (field: string): string => `Missing required field ${field}`,
  unknownField: (field: string): string => `Unknown field ${field}`,
  effect: (effect: string): string => `Invalid effect: ${effect}`,
  conditionType: (operator: string): string => `Invalid Condition type : ${operator}`,
  conditionValue: (operator: string): string => `Invalid value in Conditions for operator ${operator}`,
  unsupported: (what: string): string => `${what} is not supported by this store`,
} as const;

export function malformed(message: string): S3Error {
  return new S3Error('MalformedPolicy', message);
}
