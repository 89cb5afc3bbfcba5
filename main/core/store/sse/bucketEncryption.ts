// Bucket default encryption: the ServerSideEncryptionConfiguration document in and out (S3-SSE.md 7).
import { S3Error } from '../errors.js';
import type { BlockedEncryptionType } from '../storage/records.js';
import { buildXml, childList, childObject, childText, parseXmlBody, type XmlObject } from '../xml.js';
import type { SseAlgorithm } from './sseHeaders.js';

export interface BucketDefaultEncryption {
  algorithm: SseAlgorithm;
  /** Echoed back as stored: a bare UUID stays a bare UUID (S3-SSE.md 7.2). */
  kmsMasterKeyId: string | undefined;
  bucketKeyEnabled: boolean;
}

/** Every bucket has SSE-S3 as its base encryption since January 2023; it cannot be turned off. */
export const BASE_ENCRYPTION: BucketDefaultEncryption = { algorithm: 'AES256', kmsMasterKeyId: undefined, bucketKeyEnabled: false };

export function bucketDefault(storedJson: string | null): BucketDefaultEncryption {
  return storedJson ? (JSON.parse(storedJson) as BucketDefaultEncryption) : BASE_ENCRYPTION;
}

const MSG_KEY_NOT_APPLICABLE = 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse';

/** The configuration document: the default rule and, when the element is present, the blocked types. */
export interface EncryptionConfiguration {
  rule: BucketDefaultEncryption;
  /** undefined when the document has no BlockedEncryptionTypes: the bucket's current block stays (S3-SSE.md 7.4). */
  blocked: BlockedEncryptionType[] | undefined;
}

/** BlockedEncryptionTypes: `SSE-C` blocks, `NONE` unblocks; anything else is MalformedXML. */
function parseBlocked(rule: XmlObject): BlockedEncryptionType[] | undefined {
  const element = childObject(rule, 'BlockedEncryptionTypes');
  if (!element) return undefined;
  const raw = element['EncryptionType'];
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (values.length === 0 || values.some((v) => v !== 'SSE-C' && v !== 'NONE')) throw new S3Error('MalformedXML');
  return values.includes('SSE-C') ? ['SSE-C'] : [];
}

export function parseEncryptionConfiguration(xml: string): EncryptionConfiguration {
  const root = parseXmlBody(xml, 'ServerSideEncryptionConfiguration');
  const rules = childList(root, 'Rule');
  if (rules.length !== 1) throw new S3Error('MalformedXML');
  const rule = rules[0]!;
  const apply = childObject(rule, 'ApplyServerSideEncryptionByDefault');
  const algorithm = apply ? childText(apply, 'SSEAlgorithm') : 'AES256';
  if (algorithm !== 'AES256' && algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') throw new S3Error('MalformedXML');
  const keyId = apply ? childText(apply, 'KMSMasterKeyID') : undefined;
  if (keyId !== undefined && algorithm === 'AES256') {
    throw new S3Error('InvalidArgument', MSG_KEY_NOT_APPLICABLE, { ArgumentName: 'ApplyServerSideEncryptionByDefault' });
  }
  const bucketKeyText = childText(rule, 'BucketKeyEnabled');
  if (bucketKeyText !== undefined && bucketKeyText !== 'true' && bucketKeyText !== 'false') throw new S3Error('MalformedXML');
  return { rule: { algorithm, kmsMasterKeyId: keyId || undefined, bucketKeyEnabled: bucketKeyText === 'true' }, blocked: parseBlocked(rule) };
}

/** Always with BlockedEncryptionTypes (SSE-C or NONE), as AWS answers since the 2025-2026 change. */
export function renderEncryptionConfiguration(config: BucketDefaultEncryption, blocked: readonly BlockedEncryptionType[]): string {
  return buildXml('ServerSideEncryptionConfiguration', {
    Rule: {
      ApplyServerSideEncryptionByDefault: {
        SSEAlgorithm: config.algorithm,
        KMSMasterKeyID: config.kmsMasterKeyId,
      },
      BucketKeyEnabled: config.bucketKeyEnabled ? 'true' : 'false',
      BlockedEncryptionTypes: { EncryptionType: blocked.length > 0 ? [...blocked] : ['NONE'] },
    },
  });
}
