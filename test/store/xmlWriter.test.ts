// The store's XML writer against fast-xml-parser's builder, which wrote the store's responses before: byte-identical on every shape the store uses and on random documents.
import { XMLBuilder } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildXml, S3_XMLNS } from '../../main/core/store/xml.js';
import { appendElement, escapeXml } from '../../main/core/store/xmlWriter.js';
import { seededRandom } from '../core/sync/planFixtures.js';

/** The builder exactly as the store configured it. */
const reference = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false, suppressBooleanAttributes: false, format: false, processEntities: true });

function referenceDocument(rootName: string, content: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${reference.build({ [rootName]: { '@_xmlns': S3_XMLNS, ...content } }) as string}`;
}

const ALPHABET = ['a', 'Z', '0', ' ', '&', '<', '>', '"', "'", ';', '#', '\t', '\n', '\r', '\u0001', 'é', 'e\u0301', '中', '😀', '&amp;', ']]>', '/'];

function randomText(next: () => number): string {
  const length = Math.floor(next() * 12);
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return text;
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 3 || pick < 0.35) return randomText(next);
  if (pick < 0.45) return Math.floor(next() * 1e6) - 1000;
  if (pick < 0.5) return next() < 0.5;
  if (pick < 0.55) return null;
  if (pick < 0.6) return undefined;
  if (pick < 0.75) return Array.from({ length: Math.floor(next() * 4) }, () => randomObjectOrScalar(next, depth + 1));
  return randomObject(next, depth + 1);
}

function randomObjectOrScalar(next: () => number, depth: number): unknown {
  return next() < 0.5 ? randomObject(next, depth) : randomText(next);
}

function randomObject(next: () => number, depth: number): Record<string, unknown> {
  const names = ['Key', 'Size', 'ETag', 'Contents', 'Prefix', 'Owner', 'ID', 'Tag', 'Value', 'Part'];
  const object: Record<string, unknown> = {};
  const members = Math.floor(next() * 5);
  for (let i = 0; i < members; i++) object[`${names[Math.floor(next() * names.length)]}${i}`] = randomValue(next, depth);
  return object;
}

describe('the XML writer', () => {
  it('escapes the five special characters and nothing else', () => {
    expect(escapeXml(`a&b<c>d"e'f\u0001é`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f\u0001é');
    expect(escapeXml('plain')).toBe('plain');
  });

  it('writes every shape the store uses exactly as the builder did', () => {
    const listing = {
      Name: 'bucket',
      Prefix: 'a&b/',
      KeyCount: 2,
      MaxKeys: 1000,
      IsTruncated: false,
      ContinuationToken: undefined,
      Contents: [
        { Key: 'x<y>.txt', LastModified: '2026-11-30T10:00:00.000Z', ETag: '"0123"', Size: 0, StorageClass: 'STANDARD', Owner: undefined },
        { Key: "q'\"uote", LastModified: '2026-11-30T10:00:01.000Z', ETag: '"4567"', Size: 12, StorageClass: 'STANDARD', Owner: { ID: 'id', DisplayName: 'me' } },
      ],
      CommonPrefixes: [],
    };
    expect(buildXml('ListBucketResult', listing)).toBe(referenceDocument('ListBucketResult', listing));
    const location = { '#text': '' };
    expect(buildXml('LocationConstraint', location)).toBe(referenceDocument('LocationConstraint', location));
    const withRegion = { '#text': 'eu-west-1' };
    expect(buildXml('LocationConstraint', withRegion)).toBe(referenceDocument('LocationConstraint', withRegion));
    const error = { Code: 'InvalidArgument', Message: 'The key & MD5 <differ>', ArgumentName: 'x-amz', ArgumentValue: null, RequestId: 'R' };
    expect(buildXml('Error', error, null)).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n${reference.build({ Error: error }) as string}`);
    const empty = {};
    expect(buildXml('Tagging', { TagSet: empty })).toBe(referenceDocument('Tagging', { TagSet: empty }));
  });

  it('agrees with the builder on 2,000 random documents', () => {
    const next = seededRandom(20261130);
    for (let i = 0; i < 2000; i++) {
      const content = randomObject(next, 0);
      expect(buildXml('Root', content), JSON.stringify(content)).toBe(referenceDocument('Root', content));
    }
  });

  it('refuses shapes no response holds', () => {
    expect(() => appendElement('', 'A', [[1]])).toThrow(TypeError);
    expect(() => appendElement('', 'A', () => 1)).toThrow(TypeError);
    expect(() => appendElement('', 'A', 1n)).toThrow(TypeError);
  });
});
