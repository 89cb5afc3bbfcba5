// XML in and out of the store: request bodies parsed and validated by fast-xml-parser, responses written by xmlWriter.
import { XMLParser, XMLValidator, type EntityDecoderOptions } from 'fast-xml-parser';
import { S3Error } from './errors.js';
import { appendElement } from './xmlWriter.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Elements that may repeat in the request bodies the store accepts; always parsed as arrays. */
const REPEATED_ELEMENTS = new Set(['Part', 'Object', 'Rule', 'EncryptionType', 'Tag']);

const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML 1.0's Char production: what a numeric character reference may name. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/**
 * Exactly XML's references: the five predefined entities and numeric character references
 * (Go's encoding/xml, so rclone, writes the quotes around an ETag as &#34;). DTD entities are never expanded.
 */
const xmlEntities: EntityDecoderOptions = {
  setExternalEntities() {},
  addInputEntities() {},
  reset() {},
  setXmlVersion() {},
  decode: (text) =>
    text.replace(/&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g, (_ref, hex?: string, decimal?: string, name?: string) => {
      if (name !== undefined) return PREDEFINED_ENTITIES[name]!;
      const code = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
      if (!isXmlChar(code)) throw new S3Error('MalformedXML');
      return String.fromCodePoint(code);
    }),
};

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  // No DTDs or entity expansion beyond XML's own references: a request body cannot make the store do work.
  processEntities: true,
  entityDecoder: xmlEntities,
  isArray: (name) => REPEATED_ELEMENTS.has(name),
});


export type XmlObject = { [name: string]: XmlValue };
export type XmlValue = string | XmlObject | XmlValue[] | undefined;

/** Parses a request body and returns its root element; anything malformed is S3's MalformedXML. */
export function parseXmlBody(text: string, rootName: string): XmlObject {
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw new S3Error('MalformedXML');
  let parsed: XmlObject;
  try {
    parsed = parser.parse(text) as XmlObject;
  } catch {
    throw new S3Error('MalformedXML');
  }
  const root = parsed[rootName];
  if (root === undefined) throw new S3Error('MalformedXML');
  return typeof root === 'object' && !Array.isArray(root) ? root : {};
}

/** Text content of a child element, or undefined when absent. */
export function childText(node: XmlObject, name: string): string | undefined {
  const value = node[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) throw new S3Error('MalformedXML');
  return Object.keys(value).length === 0 ? '' : undefined;
}

export function childObject(node: XmlObject, name: string): XmlObject | undefined {
  const value = node[name];
  if (value === undefined) return undefined;
  if (value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new S3Error('MalformedXML');
  return value;
}

export function childList(node: XmlObject, name: string): XmlObject[] {
  const value = node[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (item === '') return {};
    if (typeof item !== 'object' || Array.isArray(item)) throw new S3Error('MalformedXML');
    return item;
  });
}

/** A whole response document with the S3 namespace on its root element. */
export function buildXml(rootName: string, content: Record<string, unknown>, namespace: string | null = S3_XMLNS): string {
  const root = namespace ? { '@_xmlns': namespace, ...content } : content;
  return appendElement('<?xml version="1.0" encoding="UTF-8"?>\n', rootName, root);
}
