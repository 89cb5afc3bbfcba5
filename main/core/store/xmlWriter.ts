// Writes the store's response documents from plain objects: the bytes the general-purpose XML builder wrote, without its per-node cost, which dominated long listings.
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const SPECIAL = /[&<>"']/;
const SPECIAL_ALL = /[&<>"']/g;

/** Text or attribute value with XML's five special characters escaped (other characters are written as they are). */
export function escapeXml(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : text;
}

function scalarText(value: string | number | boolean): string {
  return typeof value === 'string' ? escapeXml(value) : String(value);
}

/**
 * Appends `<name>…</name>` for `value` to `out` and returns the result. The shapes, as the store
 * uses them: undefined writes nothing; null an empty element `<name/>`; a string, number or
 * boolean its text; an array one element per item; an object its members in order, where keys
 * starting with `@_` are attributes and `#text` is the element's own text. TypeError for
 * anything else (an array inside an array, a function, a bigint…), which no response contains.
 */
export function appendElement(out: string, name: string, value: unknown): string {
  if (value === undefined) return out;
  if (value === null) return `${out}<${name}/>`;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return `${out}<${name}>${scalarText(value)}</${name}>`;
    case 'object':
      break;
    default:
      throw new TypeError(`an XML response cannot hold a ${typeof value}`);
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      if (Array.isArray(item)) throw new TypeError('an XML response cannot hold an array inside an array');
      out = appendElement(out, name, item);
    }
    return out;
  }
  let attributes = '';
  let text = '';
  let children = '';
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (key.startsWith('@_')) {
      if (member !== undefined) attributes += ` ${key.slice(2)}="${scalarText(member as string | number | boolean)}"`;
    } else if (key === '#text') {
      if (member !== undefined) text += scalarText(member as string | number | boolean);
    } else {
      children = appendElement(children, key, member);
    }
  }
  return `${out}<${name}${attributes}>${text}${children}</${name}>`;
}
