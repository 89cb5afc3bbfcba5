// The ListObjectsV2 body decoder: exact round trips, and undefined for every body it cannot vouch for.
import { describe, expect, it } from 'vitest';
import { decodeListObjectsV2, type DecodedObject } from '../../../../main/core/sync/remote/listPageDecoder.js';
import { seededRandom } from '../planFixtures.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const ROOT_OPEN = '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">';
const OWNER = '<Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>alice</DisplayName></Owner>';
const HEAD =
  '<Name>bucket</Name><Prefix>photos/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>' +
  '<ContinuationToken>prev</ContinuationToken><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>' +
  '<StartAfter>photos/0</StartAfter>';
const FIRST =
  '<Contents><Key>photos/a &amp; b.txt</Key><LastModified>2026-11-30T09:00:00.000Z</LastModified>' +
  '<ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm>' +
  `<ChecksumType>FULL_OBJECT</ChecksumType><Size>4096</Size>${OWNER}<StorageClass>STANDARD</StorageClass></Contents>`;
const SECOND =
  '<Contents><Key>photos/2026/b.jpg</Key><LastModified>2026-11-30T09:00:01.250Z</LastModified>' +
  '<ETag>"e3b0c44298fc1c149afbf4c8996fb924-2"</ETag><Size>10485760</Size><StorageClass>STANDARD_IA</StorageClass></Contents>';
/** A realistic two-key page, the way S3 lays it out. */
const BASE = `${DECLARATION}\n${ROOT_OPEN}${HEAD}\n${FIRST}\n${SECOND}\n</ListBucketResult>`;

const BASE_OBJECTS: DecodedObject[] = [
  { key: 'photos/a & b.txt', size: 4096, etag: '"9b2cf535f27731c974343645a3985328"', lastModifiedMs: Date.parse('2026-11-30T09:00:00.000Z') },
  { key: 'photos/2026/b.jpg', size: 10485760, etag: '"e3b0c44298fc1c149afbf4c8996fb924-2"', lastModifiedMs: Date.parse('2026-11-30T09:00:01.250Z') },
];
const BASE_PAGE = { objects: BASE_OBJECTS, isTruncated: true, nextContinuationToken: '1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=' };

/** BASE with `from` replaced by `to`; fails the test if `from` is not there, so no case passes by accident. */
function edited(from: string, to: string): string {
  expect(BASE).toContain(from);
  return BASE.replace(from, to);
}

/** A one-object, untruncated page whose Contents holds exactly `fields`. */
function onePage(fields: string): string {
  return `${ROOT_OPEN}<IsTruncated>false</IsTruncated><Contents>${fields}</Contents></ListBucketResult>`;
}

function oneObject(fields: string): DecodedObject | undefined {
  return decodeListObjectsV2(onePage(fields))?.objects[0];
}

const KEY = '<Key>k</Key>';
const ETAG = '<ETag>"e"</ETag>';
const SIZE = '<Size>1</Size>';
const MODIFIED = '<LastModified>2026-11-30T09:00:00Z</LastModified>';

function modifiedMs(stamp: string): number | undefined {
  return oneObject(`${KEY}${ETAG}${SIZE}<LastModified>${stamp}</LastModified>`)?.lastModifiedMs;
}

describe('decodeListObjectsV2 accepts', () => {
  it('a realistic page, field for field', () => {
    expect(decodeListObjectsV2(BASE)).toEqual(BASE_PAGE);
  });

  it('no whitespace at all, or line breaks and indentation between every element', () => {
    expect(decodeListObjectsV2(BASE.replaceAll('\n', ''))).toEqual(BASE_PAGE);
    expect(decodeListObjectsV2(BASE.replaceAll('><', '>\r\n\t  <'))).toEqual(BASE_PAGE);
  });

  it('elements in any order', () => {
    const random = seededRandom(7);
    const head = HEAD.split(/(?=<Name>|<Prefix>|<KeyCount>|<MaxKeys>|<IsTruncated>|<ContinuationToken>|<NextContinuationToken>|<StartAfter>)/);
    const fields = FIRST.slice('<Contents>'.length, -'</Contents>'.length).split(/(?=<Key>|<LastModified>|<ETag>|<Checksum|<Size>|<Owner>|<StorageClass>)/);
    expect(head).toHaveLength(8);
    expect(fields).toHaveLength(8);
    for (let round = 0; round < 20; round++) {
      const top = shuffle(head, random);
      // The two Contents go anywhere but keep their relative order, which is the listing order.
      const firstAt = Math.floor(random() * (top.length + 1));
      top.splice(firstAt, 0, `<Contents>${shuffle(fields, random).join('')}</Contents>`);
      top.splice(firstAt + 1 + Math.floor(random() * (top.length - firstAt)), 0, SECOND);
      expect(decodeListObjectsV2(`${ROOT_OPEN}${top.join('')}</ListBucketResult>`)).toEqual(BASE_PAGE);
    }
  });

  it('the five named entities and numeric references, decoded exactly', () => {
    expect(oneObject(`<Key>&lt;&gt;&amp;&quot;&apos;</Key>${ETAG}${SIZE}${MODIFIED}`)?.key).toBe('<>&"\'');
    expect(oneObject(`<Key>&#x1F600;</Key>${ETAG}${SIZE}${MODIFIED}`)?.key).toBe('\u{1F600}');
    expect(oneObject(`<Key>a&#128512;b&#38;c&#x26;&#x00041;</Key>${ETAG}${SIZE}${MODIFIED}`)?.key).toBe('a\u{1F600}b&c&A');
    expect(oneObject(`<Key>cr&#13;lf&#xA;tab&#9;bell&#7;</Key>${ETAG}${SIZE}${MODIFIED}`)?.key).toBe('cr\rlf\ntab\tbell\u0007');
    expect(oneObject(`<Key>a > b ]> c</Key>${ETAG}${SIZE}${MODIFIED}`)?.key).toBe('a > b ]> c');
    expect(oneObject(`<Key>caf\u0065\u0301 \u{1F469}\u200D\u{1F4BB}</Key>${ETAG}${SIZE}${MODIFIED}`)?.key).toBe('cafe\u0301 \u{1F469}\u200D\u{1F4BB}');
  });

  it('unknown elements at any depth, with attributes or self-closed, whatever they hold', () => {
    const ghost = '<Contents><Key>ghost</Key><Size>1</Size><ETag>"g"</ETag><LastModified>2026-01-01T00:00:00Z</LastModified></Contents>';
    const body = BASE.replace('<Owner>', `<RestoreStatus a="1" b='x > y'><Deep><Deeper>${ghost}</Deeper></Deep><Empty/></RestoreStatus><Owner>`)
      .replace('<StartAfter>', `<Extension xmlns:x="urn:x">${ghost}<Self /></Extension><StartAfter>`);
    expect(decodeListObjectsV2(body)).toEqual(BASE_PAGE);
    expect(decodeListObjectsV2(body.replace('<KeyCount>2</KeyCount>', ''))).toEqual(BASE_PAGE);
  });

  it('comments before, between, inside and after elements', () => {
    const body = BASE.replace(ROOT_OPEN, `<!-- listing -->\n${ROOT_OPEN}<!---->`)
      .replace('<Key>photos/2026/b.jpg</Key>', '<!-- a <fake> tag --><Key><!-- before -->photos/2026/b.jpg<!-- after --></Key>')
      .replace('</ListBucketResult>', '<!-- end - of list --></ListBucketResult>\n<!-- trailing -->\n');
    expect(decodeListObjectsV2(body)).toEqual(BASE_PAGE);
  });

  it('an empty final page, a self-closed token, and no declaration', () => {
    expect(decodeListObjectsV2(`${ROOT_OPEN}<KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>`)).toEqual({
      objects: [],
      isTruncated: false,
      nextContinuationToken: undefined,
    });
    expect(decodeListObjectsV2(`  <ListBucketResult><NextContinuationToken/><IsTruncated>false</IsTruncated></ListBucketResult>`)).toEqual({
      objects: [],
      isTruncated: false,
      nextContinuationToken: '',
    });
  });

  it("declarations that say UTF-8 XML 1.0 in either quote style", () => {
    for (const declaration of ["<?xml version='1.0'?>", '<?xml version="1.0" encoding="utf-8" standalone="yes" ?>']) {
      expect(decodeListObjectsV2(BASE.replace(DECLARATION, declaration))).toEqual(BASE_PAGE);
    }
  });

  it('sizes from zero to the largest safe integer, leading zeros allowed', () => {
    for (const [text, size] of [['0', 0], ['007', 7], ['9007199254740991', Number.MAX_SAFE_INTEGER]] as const) {
      expect(oneObject(`${KEY}${ETAG}<Size>${text}</Size>${MODIFIED}`)?.size).toBe(size);
    }
  });

  it.each([
    ['2026-11-30T09:00:00Z', '2026-11-30T09:00:00.000Z'],
    ['2026-11-30T09:00:00.5Z', '2026-11-30T09:00:00.500Z'],
    ['2026-11-30T09:00:00.12Z', '2026-11-30T09:00:00.120Z'],
    ['2026-11-30T09:00:00.1234Z', '2026-11-30T09:00:00.123Z'],
    ['2026-11-30T09:00:59.9996Z', '2026-11-30T09:01:00.000Z'],
    ['2026-11-30T09:00:00+05:30', '2026-11-30T03:30:00.000Z'],
    ['2026-01-01T00:30:00.250-01:15', '2026-01-01T01:45:00.250Z'],
    ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['1969-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z'],
    ['0050-06-01T12:00:00Z', '0050-06-01T12:00:00.000Z'],
  ])('the timestamp %s', (stamp, iso) => {
    expect(modifiedMs(stamp)).toBe(Date.parse(iso));
  });

  it('1,000 generated keys of any Unicode, escaped every legal way, back exactly', () => {
    const random = seededRandom(20261130);
    const expected: DecodedObject[] = [];
    let xml = `${DECLARATION}${ROOT_OPEN}<KeyCount>1000</KeyCount><IsTruncated>false</IsTruncated>`;
    for (let i = 0; i < 1000; i++) {
      const codePoints = [...`k/${i}/`].map((c) => c.codePointAt(0) ?? 0);
      const length = 1 + Math.floor(random() * 40);
      for (let k = 0; k < length; k++) codePoints.push(randomCodePoint(random));
      const object = {
        key: String.fromCodePoint(...codePoints),
        size: Math.floor(random() * 2 ** 40),
        etag: `"${Math.floor(random() * 2 ** 32).toString(16)}"`,
        lastModifiedMs: Math.floor(random() * 4_000_000_000_000),
      };
      expected.push(object);
      xml += `<Contents><Key>${escapeXml(codePoints, random)}</Key><LastModified>${new Date(object.lastModifiedMs).toISOString()}</LastModified>`;
      xml += `<ETag>${escapeXml([...object.etag].map((c) => c.codePointAt(0) ?? 0), random)}</ETag><Size>${object.size}</Size></Contents>`;
    }
    xml += '</ListBucketResult>';
    expect(decodeListObjectsV2(xml)).toEqual({ objects: expected, isTruncated: false, nextContinuationToken: undefined });
  });
});

describe('decodeListObjectsV2 refuses', () => {
  it.each([
    ['CDATA', '<Key>photos/2026/b.jpg</Key>', '<Key><![CDATA[photos/2026/b.jpg]]></Key>'],
    ['a DOCTYPE', DECLARATION, `${DECLARATION}<!DOCTYPE ListBucketResult>`],
    ['a processing instruction inside', ROOT_OPEN, `${ROOT_OPEN}<?pi x?>`],
    ['an unknown entity', '&amp; b', '&nbsp; b'],
    ['an entity in the wrong case', '&amp; b', '&AMP; b'],
    ['an unterminated entity', '&amp; b', '&amp b'],
    ['a bare ampersand', '&amp; b', '& b'],
    ['a reference to code point 0', '&amp; b', '&#0; b'],
    ['a reference to a surrogate', '&amp; b', '&#xD800; b'],
    ['a reference past Unicode', '&amp; b', '&#x110000; b'],
    ['an upper-case X in a hex reference', '&amp; b', '&#X41; b'],
    ['a reference without digits', '&amp; b', '&#x; b'],
    ['a raw CR in a key', 'a &amp; b', 'a \r b'],
    ['a raw control character in a key', 'a &amp; b', 'a \u0001 b'],
    ['a lone surrogate in a key', 'a &amp; b', 'a \ud800 b'],
    ['U+FFFF in a key', 'a &amp; b', 'a \uffff b'],
    ['"]]>" in text', 'a &amp; b', 'a ]]> b'],
    ['a KeyCount one too high', '<KeyCount>2<', '<KeyCount>3<'],
    ['a KeyCount one too low', '<KeyCount>2<', '<KeyCount>1<'],
    ['a KeyCount that is not a number', '<KeyCount>2<', '<KeyCount>two<'],
    ['a KeyCount that counts a Contents wrapped in an unknown element', SECOND, `<Wrapper>${SECOND}</Wrapper>`],
    ['a missing Key', '<Key>photos/2026/b.jpg</Key>', ''],
    ['a duplicate Key', '<Key>photos/2026/b.jpg</Key>', '<Key>photos/2026/b.jpg</Key><Key>photos/2026/c.jpg</Key>'],
    ['an empty Key', '<Key>photos/2026/b.jpg</Key>', '<Key></Key>'],
    ['a self-closed Key', '<Key>photos/2026/b.jpg</Key>', '<Key/>'],
    ['a missing Size', '<Size>10485760</Size>', ''],
    ['a duplicate Size', '<Size>10485760</Size>', '<Size>10485760</Size><Size>10485760</Size>'],
    ['a missing ETag', '<ETag>"e3b0c44298fc1c149afbf4c8996fb924-2"</ETag>', ''],
    ['a duplicate ETag', '<ETag>"e3b0c44298fc1c149afbf4c8996fb924-2"</ETag>', '<ETag>"a"</ETag><ETag>"b"</ETag>'],
    ['a missing LastModified', '<LastModified>2026-11-30T09:00:01.250Z</LastModified>', ''],
    ['a duplicate LastModified', '<LastModified>2026-11-30T09:00:01.250Z</LastModified>', '<LastModified>2026-11-30T09:00:01.250Z</LastModified>'.repeat(2)],
    ['a negative Size', '<Size>10485760<', '<Size>-1<'],
    ['a Size in exponent form', '<Size>10485760<', '<Size>1e3<'],
    ['an empty Size', '<Size>10485760<', '<Size><'],
    ['a Size with a space', '<Size>10485760<', '<Size> 10485760<'],
    ['a Size with a fraction', '<Size>10485760<', '<Size>10485760.0<'],
    ['a Size past the safe integers', '<Size>10485760<', '<Size>9007199254740992<'],
    ['a Size spelled with a reference', '<Size>10485760<', '<Size>&#49;0485760<'],
    ['IsTruncated missing', '<IsTruncated>true</IsTruncated>', ''],
    ['IsTruncated in capitals', '<IsTruncated>true<', '<IsTruncated>TRUE<'],
    ['IsTruncated with spaces', '<IsTruncated>true<', '<IsTruncated> true <'],
    ['IsTruncated twice', '<IsTruncated>true</IsTruncated>', '<IsTruncated>true</IsTruncated><IsTruncated>true</IsTruncated>'],
    ['a truncated page without a token', '<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>', ''],
    ['a truncated page with an empty token', '<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>', '<NextContinuationToken/>'],
    ['two tokens', '<StartAfter>', '<NextContinuationToken>x</NextContinuationToken><StartAfter>'],
    ['EncodingType', '<StartAfter>', '<EncodingType>url</EncodingType><StartAfter>'],
    ['CommonPrefixes', '<StartAfter>', '<CommonPrefixes><Prefix>photos/x/</Prefix></CommonPrefixes><StartAfter>'],
    ['a self-closed CommonPrefixes', '<StartAfter>', '<CommonPrefixes/><StartAfter>'],
    ['the wrong root', '<ListBucketResult xmlns', '<ListVersionsResult xmlns'],
    ['a prefixed root', '<ListBucketResult xmlns=', '<s3:ListBucketResult xmlns:s3='],
    ['a prefixed element inside', '<StartAfter>photos/0</StartAfter>', '<s3:StartAfter>photos/0</s3:StartAfter>'],
    ['a mismatched close tag', '</Size>', '</size>'],
    ['a missing close tag', '</Contents>\n</ListBucketResult>', '\n</ListBucketResult>'],
    ['a close tag with no open element', '</ListBucketResult>', '</ListBucketResult></Contents>'],
    ['trailing text', '</ListBucketResult>', '</ListBucketResult>x'],
    ['a second root', '</ListBucketResult>', '</ListBucketResult><ListBucketResult/>'],
    ['attributes on a known element', '<Key>photos/2026/b.jpg<', '<Key id="1">photos/2026/b.jpg<'],
    ['text beside elements in Contents', '<Key>photos/2026/b.jpg</Key>', 'x<Key>photos/2026/b.jpg</Key>'],
    ['text beside elements in the root', '<StartAfter>', 'x<StartAfter>'],
    ['a child element in a Key', '<Key>photos/2026/b.jpg<', '<Key>photos/<b/>2026/b.jpg<'],
    ['a key split by a comment', '<Key>photos/2026/b.jpg<', '<Key>photos/<!-- -->2026/b.jpg<'],
    ['"--" inside a comment', ROOT_OPEN, `${ROOT_OPEN}<!-- a -- b -->`],
    ['an unclosed comment', ROOT_OPEN, `${ROOT_OPEN}<!-- a`],
    ['XML 1.1', 'version="1.0"', 'version="1.1"'],
    ['another encoding', 'encoding="UTF-8"', 'encoding="ISO-8859-1"'],
    ['whitespace before the declaration', DECLARATION, ` ${DECLARATION}`],
    ['a byte order mark', DECLARATION, `\ufeff${DECLARATION}`],
    ['a repeated attribute', 'xmlns="http', 'a="1" a="2" xmlns="http'],
    ['an unquoted attribute', 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"', 'xmlns=http://s3.amazonaws.com/doc/2006-03-01/'],
    ['attributes run together', 'xmlns="http', 'a="1"xmlns="http'],
    ['a raw "<" in an attribute', 'xmlns="http', 'a="<" xmlns="http'],
    ['a space after "<"', '<Name>', '< Name>'],
    ['a name outside ASCII', '<Name>bucket</Name>', '<Nämé>bucket</Nämé>'],
  ])('%s', (_label, from, to) => {
    expect(decodeListObjectsV2(BASE)).toEqual(BASE_PAGE);
    expect(decodeListObjectsV2(edited(from, to))).toBeUndefined();
  });

  it.each([
    '2026-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-11-31T00:00:00Z',
    '2026-11-00T00:00:00Z',
    '2026-11-30T24:00:00Z',
    '2026-11-30T09:60:00Z',
    '2026-11-30T09:00:60Z',
    '2026-11-30T09:00:00',
    '2026-11-30T09:00:00z',
    '2026-11-30t09:00:00Z',
    '2026-11-30 09:00:00Z',
    '2026-11-30T09:00:00.Z',
    '2026-11-30T09:00:00+0100',
    '2026-11-30T09:00:00+24:00',
    '2026-11-30T09:00:00+01:60',
    '2026-11-30T9:00:00Z',
    '26-11-30T09:00:00Z',
    '2026-11-30T09:00:00ZZ',
    '2026-11-30T09:00:00.000Z ',
    '2026-11-30T09:00:00&#46;000Z',
    '',
  ])('the timestamp %j', (stamp) => {
    expect(modifiedMs('2026-11-30T09:00:00Z')).toBe(Date.parse('2026-11-30T09:00:00Z'));
    expect(modifiedMs(stamp)).toBeUndefined();
  });

  it('every prefix of a page cut before its root closes', () => {
    const end = BASE.indexOf('</ListBucketResult>') + '</ListBucketResult>'.length;
    for (let cut = 0; cut < end; cut++) expect(decodeListObjectsV2(BASE.slice(0, cut))).toBeUndefined();
    expect(decodeListObjectsV2(BASE.slice(0, end))).toEqual(BASE_PAGE);
  });
});

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Ranges keys are drawn from: ASCII with XML's special characters, Latin-1, combining marks, CJK, controls, specials, emoji. */
const CODE_POINT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x20, 0x7e],
  [0x20, 0x7e],
  [0xa0, 0xff],
  [0x300, 0x36f],
  [0x4e00, 0x9fff],
  [0x1, 0x1f],
  [0xfff0, 0xffff],
  [0x1f300, 0x1faff],
  [0x10000, 0x10ffff],
];

function randomCodePoint(random: () => number): number {
  const [low, high] = CODE_POINT_RANGES[Math.floor(random() * CODE_POINT_RANGES.length)] ?? [0x20, 0x7e];
  const codePoint = low + Math.floor(random() * (high - low + 1));
  return codePoint >= 0xd800 && codePoint <= 0xdfff ? 0x41 : codePoint;
}

/** Escapes text every way XML allows: named entities, decimal and hex references, or raw where raw is legal. */
function escapeXml(codePoints: readonly number[], random: () => number): string {
  let out = '';
  for (const codePoint of codePoints) {
    const reference = random() < 0.5 ? `&#${codePoint};` : `&#x${codePoint.toString(16)};`;
    const mustEscape = codePoint < 0x20 && codePoint !== 0x9 && codePoint !== 0xa;
    if (codePoint === 0x26) out += random() < 0.8 ? '&amp;' : reference;
    else if (codePoint === 0x3c) out += random() < 0.8 ? '&lt;' : reference;
    else if (codePoint === 0x3e) out += out.endsWith(']]') || random() < 0.5 ? '&gt;' : '>';
    else if (codePoint === 0x22) out += random() < 0.5 ? '&quot;' : '"';
    else if (codePoint === 0x27) out += random() < 0.5 ? '&apos;' : "'";
    else if (mustEscape || codePoint === 0xfffe || codePoint === 0xffff || random() < 0.1) out += reference;
    else out += String.fromCodePoint(codePoint);
  }
  return out;
}
