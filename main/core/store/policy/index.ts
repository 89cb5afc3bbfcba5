// Bucket policies as the store enforces them: parse at PutBucketPolicy, evaluate before each operation.
export { parseBucketPolicy } from './parseBucketPolicy.js';
export { evaluatePolicy, renderDenied, requestResource } from './evaluatePolicy.js';
export { policyActionFor, PUT_OBJECT } from './actions.js';
export {
  conditionValuesFor,
  requestConditionValues,
  uploadConditionValues,
  NO_CONDITION_VALUES,
  type HeaderLookup,
  type SseConditionValues,
} from './conditionValues.js';
export { MAX_POLICY_BYTES } from './messages.js';
export {
  SECURE_TRANSPORT_CONDITION_KEY,
  SSE_C_ALGORITHM_CONDITION_KEY,
  SSE_CONDITION_KEY,
  SSE_KMS_KEY_ID_CONDITION_KEY,
  type BucketPolicy,
  type PolicyCondition,
  type PolicyDecision,
  type PolicyPrincipal,
  type PolicyRequest,
  type PolicyStatement,
} from './types.js';
