// XML request bodies: exactly XML's references are decoded (Go's encoding/xml writes quotes as &#34;), nothing more.
import { describe, expect, it } from 'vitest';
import { parseXmlBody } from '../../../main/core/store/xml.js';

const complete = (etag: string): string =>
  `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>${etag}</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>`;

describe('parseXmlBody', () => {
  it('decodes decimal and hex character references, as rclone (Go) sends ETags', () => {
    const root = parseXmlBody(complete('&#34;8e3b3121e30099638fea088f9f19ec49&#x22;'), 'CompleteMultipartUpload');
    expect(root).toEqual({ Part: [{ ETag: '"8e3b3121e30099638fea088f9f19ec49"', PartNumber: '1' }] });
  });

  it('decodes the five predefined entities once, and astral characters', () => {
    const root = parseXmlBody('<Delete><Object><Key>a&amp;lt;b &lt;&gt;&quot;&apos;&amp; &#x1F600;</Key></Object></Delete>', 'Delete');
    expect(root).toEqual({ Object: [{ Key: 'a&lt;b <>"\'& \u{1F600}' }] });
  });

  it('leaves HTML and DTD-declared entities undecoded', () => {
    expect(parseXmlBody('<Delete><Object><Key>a&nbsp;b</Key></Object></Delete>', 'Delete')).toEqual({ Object: [{ Key: 'a&nbsp;b' }] });
    const withDtd = '<!DOCTYPE Delete [<!ENTITY big "expanded">]><Delete><Object><Key>&big;</Key></Object></Delete>';
    expect(parseXmlBody(withDtd, 'Delete')).toEqual({ Object: [{ Key: '&big;' }] });
  });

  it('refuses references to characters XML does not allow', () => {
    for (const ref of ['&#0;', '&#x1;', '&#xD800;', '&#xFFFE;', '&#x110000;']) {
      expect(() => parseXmlBody(complete(ref), 'CompleteMultipartUpload'), ref).toThrow(expect.objectContaining({ code: 'MalformedXML' }));
    }
  });
});
