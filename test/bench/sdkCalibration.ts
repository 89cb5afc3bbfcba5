// Why the benchmark uses its own lean client: the AWS SDK's client-side CPU per small request, measured
// against the trivial HTTP baseline next to the lean client's, in the same run.
import http from 'node:http';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { objectPath, type SignedClient } from './signedClient.js';

export interface ClientCost {
  /** Client process CPU per 4 KiB PUT + GET pair, microseconds. */
  sdkUs: number;
  leanUs: number;
}

async function clientCpuPerOp(count: number, concurrency: number, op: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await op(next++);
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

/**
 * PUT then GET `count` 4 KiB objects at concurrency 16 through the SDK (keep-alive agent,
 * maxSockets 16, checksums only when required) and through the lean client, after a warm-up of each.
 */
export async function measureClientCost(endpoint: string, lean: SignedClient, credentials: { accessKeyId: string; secretAccessKey: string }, body: Buffer, count = 1000): Promise<ClientCost> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // keeps the bench output to its table
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const sdk = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({ httpAgent: agent }),
  });
  try {
    const sdkPair = async (prefix: string, i: number): Promise<void> => {
      await sdk.send(new PutObjectCommand({ Bucket: 'calibration', Key: `${prefix}/${i}`, Body: body }));
      const got = await sdk.send(new GetObjectCommand({ Bucket: 'calibration', Key: `${prefix}/${i}` }));
      await got.Body?.transformToByteArray();
    };
    const leanPair = async (prefix: string, i: number): Promise<void> => {
      await lean.request('PUT', objectPath('calibration', `${prefix}/${i}`), {}, { kind: 'buffer', data: body });
      await lean.request('GET', objectPath('calibration', `${prefix}/${i}`));
    };
    await clientCpuPerOp(200, 16, (i) => sdkPair('sdk-warm', i));
    await clientCpuPerOp(200, 16, (i) => leanPair('lean-warm', i));
    const sdkUs = await clientCpuPerOp(count, 16, (i) => sdkPair('sdk', i));
    const leanUs = await clientCpuPerOp(count, 16, (i) => leanPair('lean', i));
    return { sdkUs, leanUs };
  } finally {
    sdk.destroy();
    agent.destroy();
  }
}
