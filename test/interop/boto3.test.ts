// Interoperability with Debian's python3-boto3 1.26 (/usr/bin/python3): SSE-C put/get, multipart upload_file, presigned GET, HEAD errors, early errors, cleanup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KiB, MiB, PYTHON, createClientSandbox, keyMd5Base64, md5Hex, type ClientSandbox } from '../support/clientSandbox.js';
import { describeRun, runTool } from '../support/runTool.js';
import { TEST_CREDENTIALS, startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

/**
 * One scenario per call (`python3 script.py <scenario> [args]`), answering one JSON document on stdout;
 * every comparison of bytes happens on the TypeScript side. Endpoints, CA, credentials and the SSE-C key
 * come from the environment. Retries are off so a failing request is never hidden by a second attempt.
 */
const SCRIPT = `
import base64, hashlib, io, json, os, ssl, sys, urllib.error, urllib.request
import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

KEY = bytes.fromhex(os.environ["SSEC_KEY_HEX"])
CA = os.environ["STORE_CA"]
SSEC = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": KEY}
# What a presigned SSE-C URL's consumer must send itself: the signed headers, key in base64.
SSEC_HEADERS = {
    "x-amz-server-side-encryption-customer-algorithm": "AES256",
    "x-amz-server-side-encryption-customer-key": base64.b64encode(KEY).decode(),
    "x-amz-server-side-encryption-customer-key-MD5": base64.b64encode(hashlib.md5(KEY).digest()).decode(),
}

def client(secure=True):
    config = Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1, "mode": "standard"})
    if secure:
        return boto3.client("s3", endpoint_url=os.environ["STORE_HTTPS"], verify=CA, config=config)
    return boto3.client("s3", endpoint_url=os.environ["STORE_HTTP"], config=config)

def pick(response, *names):
    return {n: response.get(n) for n in names}

def failure(call):
    try:
        call()
        return {"status": 200}
    except ClientError as e:
        return {"status": e.response["ResponseMetadata"]["HTTPStatusCode"], "code": e.response["Error"].get("Code"), "message": e.response["Error"].get("Message")}
    except Exception as e:
        return {"status": None, "exception": type(e).__name__}

def fetch(request, headers=None):
    context = ssl.create_default_context(cafile=CA)
    if isinstance(request, str):
        request = urllib.request.Request(request, headers=headers or {})
    try:
        with urllib.request.urlopen(request, context=context, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError as e:
        return None, (type(e).__name__ + ": " + str(e)).encode()

def put_get(bucket, *pairs):
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    out = []
    for i in range(0, len(pairs), 2):
        source, target = pairs[i], pairs[i + 1]
        with open(source, "rb") as f:
            put = s3.put_object(Bucket=bucket, Key=os.path.basename(source), Body=f.read(), **SSEC)
        got = s3.get_object(Bucket=bucket, Key=os.path.basename(source), **SSEC)
        with open(target, "wb") as f:
            f.write(got["Body"].read())
        out.append({"put": pick(put, "ETag", "SSECustomerAlgorithm", "SSECustomerKeyMD5", "ServerSideEncryption"),
                    "get": pick(got, "ETag", "ContentLength", "SSECustomerAlgorithm", "SSECustomerKeyMD5", "ServerSideEncryption")})
    return out

def multipart(bucket, source, target):
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    config = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
    s3.upload_file(source, bucket, "big", ExtraArgs=dict(SSEC), Config=config)
    head = s3.head_object(Bucket=bucket, Key="big", **SSEC)
    s3.download_file(bucket, "big", target, ExtraArgs=dict(SSEC), Config=config)
    return {"head": pick(head, "ETag", "ContentLength", "SSECustomerKeyMD5"), "headWithoutKey": failure(lambda: s3.head_object(Bucket=bucket, Key="big"))}

def presigned(bucket, source, ssec_target, sse_s3_target):
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    with open(source, "rb") as f:
        body = f.read()
    s3.put_object(Bucket=bucket, Key="customer", Body=body, **SSEC)
    s3.put_object(Bucket=bucket, Key="managed", Body=body, ServerSideEncryption="AES256")
    ssec_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "customer", **SSEC}, ExpiresIn=300)
    managed_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "managed"}, ExpiresIn=300)
    status, data = fetch(ssec_url, SSEC_HEADERS)
    with open(ssec_target, "wb") as f:
        f.write(data)
    bare_status, bare_body = fetch(ssec_url)
    managed_status, managed_data = fetch(managed_url)
    with open(sse_s3_target, "wb") as f:
        f.write(managed_data)
    return {"ssecUrl": ssec_url.split("?")[0], "signedHeaders": ssec_url.split("X-Amz-SignedHeaders=")[1].split("&")[0],
            "ssecStatus": status, "withoutHeadersStatus": bare_status, "withoutHeadersBody": bare_body.decode("utf-8", "replace"),
            "managedStatus": managed_status}

def key_errors(bucket):
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"secret bytes", **SSEC)
    s3.put_object(Bucket=bucket, Key="plain", Body=b"plain bytes")
    other = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": bytes(32)}
    return {
        "headWithKey": pick(s3.head_object(Bucket=bucket, Key="k", **SSEC), "ContentLength", "SSECustomerAlgorithm", "SSECustomerKeyMD5", "ServerSideEncryption"),
        "headWithoutKey": failure(lambda: s3.head_object(Bucket=bucket, Key="k")),
        "headOtherKey": failure(lambda: s3.head_object(Bucket=bucket, Key="k", **other)),
        "getWithoutKey": failure(lambda: s3.get_object(Bucket=bucket, Key="k")),
        "getOtherKey": failure(lambda: s3.get_object(Bucket=bucket, Key="k", **other)),
        "getPlainWithKey": failure(lambda: s3.get_object(Bucket=bucket, Key="plain", **SSEC)),
        "putOverHttp": failure(lambda: client(secure=False).put_object(Bucket=bucket, Key="insecure", Body=b"x", **SSEC)),
        "insecureStored": failure(lambda: s3.head_object(Bucket=bucket, Key="insecure", **SSEC)),
    }

def early_errors(bucket, source):
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "fake-key-id"}}]})
    with open(source, "rb") as f:
        body = f.read()
    out = {}
    for name, size in (("100KiB", 100 * 1024), ("3MiB", 3 * 1024 * 1024), ("whole", len(body))):
        # botocore sends every PutObject body with Expect: 100-continue and waits for the go-ahead.
        out["kms-" + name] = failure(lambda: s3.put_object(Bucket=bucket, Key="k", Body=body[:size]))
        out["nobucket-" + name] = failure(lambda: s3.put_object(Bucket=bucket + "-missing", Key="k", Body=body[:size]))
    for name, size in (("100KiB", 100 * 1024), ("3MiB", 3 * 1024 * 1024)):
        # urllib sends a presigned PUT's body straight away, with no Expect header.
        url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=300)
        status, answer = fetch(urllib.request.Request(url, data=body[:size], method="PUT"))
        out["presigned-kms-" + name] = {"status": status, "body": answer.decode("utf-8", "replace")}
    out["afterwards"] = failure(lambda: s3.put_object(Bucket=bucket, Key="k", Body=b"x", ServerSideEncryption="AES256"))
    return out

def cleanup(bucket, source):
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    for i in range(3):
        s3.put_object(Bucket=bucket, Key="customer/%d" % i, Body=b"c" * i, **SSEC)
        s3.put_object(Bucket=bucket, Key="managed/%d" % i, Body=b"m" * i)
    s3.upload_file(source, bucket, "multipart", ExtraArgs=dict(SSEC), Config=TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024))
    resource = boto3.resource("s3", endpoint_url=os.environ["STORE_HTTPS"], verify=CA, config=Config(s3={"addressing_style": "path"}))
    target = resource.Bucket(bucket)
    versions = sorted((v.object_key, v.id) for v in target.object_versions.all())
    # ListObjectVersions + DeleteObjects; SSE-C objects need no key to be deleted.
    responses = target.object_versions.all().delete()
    deleted = sorted(d["Key"] for r in responses for d in r.get("Deleted", []))
    errors = [e for r in responses for e in r.get("Errors", [])]
    left = s3.list_objects_v2(Bucket=bucket).get("KeyCount")
    target.delete()
    return {"versions": versions, "deleted": deleted, "errors": errors, "left": left, "buckets": sorted(b["Name"] for b in s3.list_buckets()["Buckets"])}

SCENARIOS = {"put-get": put_get, "multipart": multipart, "presigned": presigned, "key-errors": key_errors, "early-errors": early_errors, "cleanup": cleanup}
print(json.dumps(SCENARIOS[sys.argv[1]](*sys.argv[2:])))
`;

const SIZES = { empty: 0, byte: 1, small: 100 * KiB, nine: 9 * MiB } as const;
type SizeName = keyof typeof SIZES;
const NAMES = Object.keys(SIZES) as SizeName[];
const SLOW = { timeout: 600_000 };

let f: StoreFixture;
let box: ClientSandbox;
let script: string;
let key: Buffer;
const data = new Map<SizeName | 'twenty', Buffer>();

interface Failure {
  status: number | null;
  code?: string;
  message?: string;
  exception?: string;
}

async function scenario<T>(name: string, ...args: string[]): Promise<T> {
  const result = await runTool(PYTHON, [script, name, ...args], {
    env: {
      ...box.baseEnv(),
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: box.path('home/none'),
      AWS_SHARED_CREDENTIALS_FILE: box.path('home/none'),
      AWS_EC2_METADATA_DISABLED: 'true',
      STORE_HTTP: f.httpUrl,
      STORE_HTTPS: f.httpsUrl,
      STORE_CA: box.caFile,
      SSEC_KEY_HEX: key.toString('hex'),
    },
    cwd: box.dir,
    redact: [key.toString('hex'), key.toString('base64'), TEST_CREDENTIALS.secretAccessKey],
  });
  expect(result.code, describeRun(result)).toBe(0);
  return JSON.parse(result.stdout) as T;
}

beforeAll(async () => {
  f = await startStoreFixture();
  box = createClientSandbox(f.caCert);
  script = box.write('scenarios.py', SCRIPT);
  key = box.randomFile('key.bin', 32).data;
  for (const name of NAMES) data.set(name, box.randomFile(`up/${name}`, SIZES[name]).data);
  data.set('twenty', box.randomFile('up/twenty', 20 * MiB).data);
}, 120_000);

afterAll(async () => {
  box?.cleanup();
  await f?.close();
});

describe('boto3 against the embedded store', () => {
  it('put_object / get_object with SSECustomerAlgorithm + SSECustomerKey: every size byte for byte', SLOW, async () => {
    const pairs = NAMES.flatMap((n) => [box.path(`up/${n}`), box.path(`down-${n}`)]);
    const results = await scenario<{ put: Record<string, unknown>; get: Record<string, unknown> }[]>('put-get', 'boto-sse-c', ...pairs);
    NAMES.forEach((name, i) => {
      const { put, get } = results[i]!;
      expect(box.read(`down-${name}`).equals(data.get(name)!), `${name} differs`).toBe(true);
      for (const response of [put, get]) {
        expect(response.SSECustomerAlgorithm).toBe('AES256');
        expect(response.SSECustomerKeyMD5).toBe(keyMd5Base64(key));
        expect(response.ServerSideEncryption).toBeNull();
      }
      expect(get.ContentLength).toBe(SIZES[name]);
      expect(get.ETag).toBe(put.ETag);
      expect(put.ETag).not.toBe(`"${md5Hex(data.get(name)!)}"`);
    });
  });

  it('upload_file / download_file with a 5 MiB multipart size and SSE-C ExtraArgs', SLOW, async () => {
    const result = await scenario<{ head: Record<string, unknown>; headWithoutKey: Failure }>('multipart', 'boto-multipart', box.path('up/twenty'), box.path('down-twenty'));
    expect(result.head.ContentLength).toBe(20 * MiB);
    expect(result.head.ETag).toMatch(/^"[0-9a-f]{32}-4"$/);
    expect(result.head.SSECustomerKeyMD5).toBe(keyMd5Base64(key));
    expect(result.headWithoutKey.status).toBe(400);
    expect(box.read('down-twenty').equals(data.get('twenty')!)).toBe(true);
  });

  it('a presigned GET URL fetched with urllib over HTTPS: SSE-C with the signed key headers, SSE-S3 bare', SLOW, async () => {
    const result = await scenario<{
      ssecUrl: string;
      signedHeaders: string;
      ssecStatus: number;
      withoutHeadersStatus: number;
      withoutHeadersBody: string;
      managedStatus: number;
    }>('presigned', 'boto-presigned', box.path('up/small'), box.path('down-presigned-c'), box.path('down-presigned-s3'));
    expect(result.ssecUrl).toBe(`${f.httpsUrl}/boto-presigned/customer`);
    // botocore signs the SSE-C headers (S3-SSE.md R1.6): the consumer must send them, key included.
    expect(decodeURIComponent(result.signedHeaders).split(';')).toEqual([
      'host',
      'x-amz-server-side-encryption-customer-algorithm',
      'x-amz-server-side-encryption-customer-key',
      'x-amz-server-side-encryption-customer-key-md5',
    ]);
    expect(result.ssecStatus).toBe(200);
    expect(box.read('down-presigned-c').equals(data.get('small')!)).toBe(true);
    expect(result.withoutHeadersStatus).toBe(403);
    expect(result.withoutHeadersBody).toMatch(/<Code>SignatureDoesNotMatch<\/Code>/);
    expect(result.managedStatus).toBe(200);
    expect(box.read('down-presigned-s3').equals(data.get('small')!)).toBe(true);
  });

  it('head_object without the key is 400, with another key 403; GET errors carry S3 codes; SSE-C over HTTP is refused', SLOW, async () => {
    const r = await scenario<Record<string, Failure & Record<string, unknown>>>('key-errors', 'boto-key-errors');
    expect(r.headWithKey).toEqual({ ContentLength: 12, SSECustomerAlgorithm: 'AES256', SSECustomerKeyMD5: keyMd5Base64(key), ServerSideEncryption: null });
    // HEAD has no body: botocore makes the code from the status line.
    expect(r.headWithoutKey).toMatchObject({ status: 400, code: '400' });
    expect(r.headOtherKey).toMatchObject({ status: 403, code: '403' });
    expect(r.getWithoutKey).toMatchObject({ status: 400, code: 'InvalidRequest', message: expect.stringMatching(/stored using a form of Server Side Encryption/) });
    expect(r.getOtherKey).toMatchObject({ status: 403, code: 'AccessDenied', message: expect.stringMatching(/must provide the correct secret key/) });
    expect(r.getPlainWithKey).toMatchObject({ status: 400, code: 'InvalidRequest', message: 'The encryption parameters are not applicable to this object.' });
    expect(r.putOverHttp).toMatchObject({ status: 400, code: 'InvalidRequest', message: expect.stringMatching(/must be made over a secure connection/) });
    expect(r.insecureStored).toMatchObject({ status: 404 });
  });

  it('requests refused from their headers alone get their S3 error over HTTPS, whether the body waits for 100 Continue or is on its way', SLOW, async () => {
    const r = await scenario<Record<string, Failure & { body?: string }>>('early-errors', 'boto-early', box.path('up/twenty'));
    // Not an SSLError or a connection reset: the answer reaches a client that never sends the body, or is still sending it.
    for (const size of ['100KiB', '3MiB', 'whole']) {
      // The bucket default names a key that does not exist: refused before the body is read (S3-SSE.md 3.4).
      expect(r[`kms-${size}`], size).toMatchObject({ status: 400, code: 'KMS.NotFoundException', message: "Invalid keyId 'fake-key-id'" });
      expect(r[`nobucket-${size}`], size).toMatchObject({ status: 404, code: 'NoSuchBucket' });
    }
    for (const size of ['100KiB', '3MiB']) {
      expect(r[`presigned-kms-${size}`]!.status, r[`presigned-kms-${size}`]!.body).toBe(400);
      expect(r[`presigned-kms-${size}`]!.body).toMatch(/<Code>KMS\.NotFoundException<\/Code>/);
    }
    expect(r.afterwards).toEqual({ status: 200 });
  });

  it('object_versions.delete() (ListObjectVersions + DeleteObjects) empties a bucket of SSE-C and SSE-S3 objects, then delete_bucket', SLOW, async () => {
    const r = await scenario<{ versions: [string, string][]; deleted: string[]; errors: unknown[]; left: number; buckets: string[] }>('cleanup', 'boto-cleanup', box.path('up/nine'));
    const keys = ['customer/0', 'customer/1', 'customer/2', 'managed/0', 'managed/1', 'managed/2', 'multipart'];
    expect(r.versions).toEqual(keys.map((k) => [k, 'null']));
    expect(r.deleted).toEqual(keys);
    expect(r.errors).toEqual([]);
    expect(r.left).toBe(0);
    expect(r.buckets).not.toContain('boto-cleanup');
  });
});
