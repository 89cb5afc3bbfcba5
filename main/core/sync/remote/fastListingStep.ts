// Decodes a ListObjectsV2 answer with the strict fast decoder, inside the SDK's own request, leaving the SDK every other answer.
import type { ListObjectsV2Command, ListObjectsV2CommandInput, ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import type { DeserializeHandler, DeserializeHandlerArguments } from '@smithy/types';
import { decodeListObjectsV2, type DecodedListPage } from './listPageDecoder.js';

/** What the SDK is then given to parse: a result with nothing in it, which costs it next to nothing. */
const EMPTY_RESULT = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsTruncated>false</IsTruncated></ListBucketResult>');

export interface FastListing {
  /** Set when the fast decoder read the page; undefined means the SDK's output holds it. */
  page?: DecodedListPage;
}

interface RawResponse {
  statusCode: number;
  body?: unknown;
}

async function bodyBytes(body: unknown): Promise<Buffer | undefined> {
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (!body || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * The SDK's generic XML parser costs about 15 µs per listed key, most of a no-change sync cycle.
 * This step sits inside the SDK's deserializer, so signing, retries, clock-skew correction and
 * every error answer stay the SDK's. A 200 answer's body is read here: when the strict decoder
 * is sure of it (valid UTF-8, a plain ListBucketResult whose KeyCount matches), the page is kept
 * in the returned holder and the SDK parses an empty result instead; otherwise the SDK parses
 * the very bytes received, as if this step were not there.
 */
export function decodeListingFast(command: ListObjectsV2Command): FastListing {
  const holder: FastListing = {};
  command.middlewareStack.addRelativeTo(
    (next: DeserializeHandler<ListObjectsV2CommandInput, ListObjectsV2CommandOutput>) => async (args: DeserializeHandlerArguments<ListObjectsV2CommandInput>) => {
      const result = await next(args);
      const response = result.response as RawResponse;
      if (response.statusCode !== 200) return result;
      const bytes = await bodyBytes(response.body);
      if (bytes === undefined) return result;
      let page: DecodedListPage | undefined;
      try {
        page = decodeListObjectsV2(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch {
        page = undefined;
      }
      holder.page = page;
      response.body = page ? EMPTY_RESULT : bytes;
      return result;
    },
    { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'cofferFastListing' },
  );
  return holder;
}
