// The embedded store's SigV4 authentication: request verification and payload reading.

export type { Credentials, SecretLookup } from './credentials.js';
export type { AuthContext, PayloadMode } from './authContext.js';
export { parsePayloadMode } from './authContext.js';
export { deriveSigningKey } from './signingKey.js';
export {
  canonicalHeaderValue,
  canonicalQueryString,
  canonicalRequest,
  canonicalUriCandidates,
  stringToSign,
} from './canonicalRequest.js';
export { uriEncode, uriEncodeBytes, percentDecode } from './uriEncoding.js';
export { headerOrSignedQuery, parseQuery, splitTarget } from './requestTarget.js';
export { MAX_CLOCK_SKEW_MS } from './requestTime.js';
export { MAX_PRESIGNED_EXPIRES_SECONDS } from './authorization.js';
export { type RequestToVerify, verifyRequest } from './verifyRequest.js';
export { AwsChunkedDecoder, type AwsChunkedEvents } from './awsChunkedDecoder.js';
export { type PayloadReader, isAwsChunked, readPayload, storedContentEncoding } from './payloadReader.js';
