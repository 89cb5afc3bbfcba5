// The query parameters and XML pieces every bucket listing shares (ListObjects V1/V2, ListObjectVersions).
import type { RequestContext } from '../requestContext.js';
import type { ListedObject } from '../storage/records.js';
import { encoder, parseMaxKeys } from './listing.js';
import { OWNER } from './owner.js';

export interface ListQuery {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  encodingType: string | undefined;
  /** Applies `encoding-type` to a key or prefix on its way into the XML. */
  encode: (text: string) => string;
}

export function parseListQuery(ctx: RequestContext): ListQuery {
  const q = ctx.query;
  return {
    prefix: q.get('prefix') ?? '',
    delimiter: q.get('delimiter') ?? '',
    maxKeys: parseMaxKeys(q.get('max-keys')),
    encodingType: q.get('encoding-type') ?? undefined,
    encode: encoder(q.get('encoding-type')),
  };
}

/** The elements describing the listing itself, in the order S3 writes them. */
export function listingFields(list: ListQuery): Record<string, string | number | undefined> {
  return {
    Prefix: list.encode(list.prefix),
    Delimiter: list.delimiter === '' ? undefined : list.encode(list.delimiter),
    MaxKeys: list.maxKeys,
    EncodingType: list.encodingType,
  };
}

/** One <Contents> or <Version> entry: no encryption fields, plaintext size (S3-SSE.md 6). */
export function objectEntry(o: ListedObject, list: ListQuery, withOwner: boolean): Record<string, unknown> {
  return {
    Key: list.encode(o.key),
    LastModified: o.lastModified.toISOString(),
    ETag: `"${o.etag}"`,
    Size: o.size,
    StorageClass: 'STANDARD',
    Owner: withOwner ? OWNER : undefined,
  };
}

export function commonPrefixEntries(prefixes: readonly string[], list: ListQuery): { Prefix: string }[] {
  return prefixes.map((p) => ({ Prefix: list.encode(p) }));
}
