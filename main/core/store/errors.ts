// S3 errors: one table of code -> HTTP status -> default message, and one XML renderer.
// Codes and texts follow shared/S3-SSE.md section 8 and the S3 API reference "Error responses"
// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).

const TABLE = {
  AccessDenied: [403, 'Access Denied'],
  // S3 answers more than 10 object tags with this code, not InvalidTag (observed on PutObject and PutObjectTagging).
  BadRequest: [400, 'Bad Request'],
  BadDigest: [400, 'The Content-MD5 you specified did not match what we received.'],
  BucketAlreadyExists: [409, 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.'],
  BucketAlreadyOwnedByYou: [409, 'Your previous request to create the named bucket succeeded and you already own it.'],
  BucketNotEmpty: [409, 'The bucket you tried to delete is not empty'],
  EntityTooLarge: [400, 'Your proposed upload exceeds the maximum allowed size'],
  EntityTooSmall: [400, 'Your proposed upload is smaller than the minimum allowed object size.'],
  IllegalLocationConstraintException: [400, 'The location constraint is incompatible for the region specific endpoint this request was sent to.'],
  IncompleteBody: [400, 'You did not provide the number of bytes specified by the Content-Length HTTP header.'],
  InternalError: [500, 'We encountered an internal error. Please try again.'],
  InvalidAccessKeyId: [403, 'The AWS Access Key Id you provided does not exist in our records.'],
  InvalidArgument: [400, 'Invalid Argument'],
  InvalidBucketName: [400, 'The specified bucket is not valid.'],
  InvalidDigest: [400, 'The Content-MD5 you specified is not valid.'],
  InvalidEncryptionAlgorithmError: [400, 'The Encryption request you specified is not valid. Supported value: AES256.'],
  InvalidLocationConstraint: [400, 'The specified location-constraint is not valid'],
  InvalidPart: [400, 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.'],
  InvalidPartOrder: [400, 'The list of parts was not in ascending order. Parts must be ordered by part number.'],
  InvalidRange: [416, 'The requested range is not satisfiable'],
  InvalidRequest: [400, 'Invalid Request'],
  InvalidStorageClass: [400, 'The storage class you specified is not valid'],
  InvalidTag: [400, 'Your request contains tag input that is not valid. For example, your request might contain duplicate keys, keys or values that are too long, or system tags.'],
  'KMS.DisabledException': [400, 'The request was rejected because the specified KMS key is not enabled.'],
  'KMS.KMSInvalidStateException': [400, 'The request was rejected because the state of the specified resource is not valid for this request.'],
  'KMS.NotFoundException': [400, 'The request was rejected because the specified entity or resource could not be found.'],
  KeyTooLongError: [400, 'Your key is too long'],
  MaxMessageLengthExceeded: [400, 'Your request was too big.'],
  InvalidURI: [400, "Couldn't parse the specified URI."],
  // PutBucketPolicy answers every fault of a policy, its size included, with this code and a specific text.
  MalformedPolicy: [400, 'Policies must be valid JSON and the first byte must be \'{\''],
  MalformedXML: [400, 'The XML you provided was not well-formed or did not validate against our published schema'],
  MetadataTooLarge: [400, 'Your metadata headers exceed the maximum allowed metadata size.'],
  MethodNotAllowed: [405, 'The specified method is not allowed against this resource.'],
  MissingContentLength: [411, 'You must provide the Content-Length HTTP header.'],
  MissingSecurityHeader: [400, 'Your request is missing a required header.'],
  NoSuchBucket: [404, 'The specified bucket does not exist'],
  NoSuchBucketPolicy: [404, 'The bucket policy does not exist'],
  NoSuchKey: [404, 'The specified key does not exist.'],
  NoSuchUpload: [404, 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.'],
  NotImplemented: [501, 'A header you provided implies functionality that is not implemented'],
  NotModified: [304, 'Not Modified'],
  PreconditionFailed: [412, 'At least one of the pre-conditions you specified did not hold'],
  RequestTimeTooSkewed: [403, 'The difference between the request time and the current time is too large.'],
  ServerSideEncryptionConfigurationNotFoundError: [404, 'The server side encryption configuration was not found'],
  SignatureDoesNotMatch: [403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'],
  SlowDown: [503, 'Please reduce your request rate.'],
  XAmzContentSHA256Mismatch: [400, 'The provided \'x-amz-content-sha256\' header does not match what was computed.'],
  InvalidObjectState: [403, 'The operation is not valid for the current state of the object.'],
  AuthorizationHeaderMalformed: [400, 'The authorization header is malformed.'],
  AuthorizationQueryParametersError: [400, 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.'],
  ExpiredToken: [400, 'The provided token has expired.'],
  InvalidToken: [400, 'The provided token is malformed or otherwise invalid.'],
  RequestTimeout: [400, 'Your socket connection to the server was not read from or written to within the timeout period.'],
  MalformedTrailerError: [400, 'The request contained trailing data that was not well-formed or did not conform to our published schema.'],
} as const satisfies Record<string, readonly [number, string]>;

export type S3ErrorCode = keyof typeof TABLE;

/** Extra elements of the <Error> document (ArgumentName, ArgumentValue, Resource, HeadersNotSigned, ...). */
export type S3ErrorDetails = Record<string, string | null | undefined>;

/**
 * The one error type the store's wire layer understands. Anything else thrown by an operation
 * becomes InternalError with a generic message: no stack, no internal text reaches the client.
 */
export class S3Error extends Error {
  readonly code: S3ErrorCode;
  readonly status: number;
  readonly details: S3ErrorDetails;
  /** Response headers that go with the error (Content-Range on 416, ETag on 304). */
  readonly headers: Record<string, string> = {};

  constructor(code: S3ErrorCode, message?: string, details: S3ErrorDetails = {}) {
    const [status, fallback] = TABLE[code];
    super(message ?? fallback);
    this.name = 'S3Error';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  withHeaders(headers: Record<string, string>): this {
    Object.assign(this.headers, headers);
    return this;
  }
}

export function isS3Error(err: unknown): err is S3Error {
  return err instanceof S3Error;
}

/** Turns anything thrown into an S3Error that is safe to show a client. */
export function toS3Error(err: unknown): S3Error {
  if (err instanceof S3Error) return err;
  return new S3Error('InternalError');
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** The S3 <Error> document. Details with a null value render as empty elements (AWS sends ArgumentValue null that way). */
export function renderErrorXml(err: S3Error, requestId: string, resource?: string): string {
  const parts = [`<Code>${err.code}</Code>`, `<Message>${escapeXml(err.message)}</Message>`];
  for (const [name, value] of Object.entries(err.details)) {
    if (value === undefined) continue;
    parts.push(value === null ? `<${name}></${name}>` : `<${name}>${escapeXml(value)}</${name}>`);
  }
  if (resource !== undefined && !('Resource' in err.details)) parts.push(`<Resource>${escapeXml(resource)}</Resource>`);
  parts.push(`<RequestId>${requestId}</RequestId>`, `<HostId>${requestId}</HostId>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${parts.join('')}</Error>`;
}
