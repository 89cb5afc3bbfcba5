// Integrity checks for uploads: the checksum algorithms S3 clients use and the plan for verifying them.

export {
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  type IncrementalHash,
  checksumBase64,
  checksumByteLength,
  checksumHeaderName,
  createChecksum,
  parseChecksumAlgorithm,
} from './checksums.js';
export { crc32c } from './crc32c.js';
export { Crc64Nvme, crc64nvme } from './crc64nvme.js';
export {
  type ChecksumPlan,
  type ComputedChecksums,
  type ExpectedChecksum,
  type PlanHasher,
  type VerifiedChecksum,
  createPlanHasher,
  planChecksums,
  verifyChecksums,
} from './expectedChecksums.js';
