// A pull scanner over an XML 1.0 document in a string, strict enough that anything unusual stops it instead of guessing.

/** What `XmlScanner.next()` found. After `XML_INVALID` every later call returns it again. */
export const XML_INVALID = 0;
export const XML_START = 1;
export const XML_END = 2;
export const XML_TEXT = 3;
export const XML_DONE = 4;
export type XmlToken = typeof XML_INVALID | typeof XML_START | typeof XML_END | typeof XML_TEXT | typeof XML_DONE;

// Character codes used below.
const TAB = 9, LF = 10, CR = 13, SPACE = 32, BANG = 33, QUOTE = 34, HASH = 35, AMP = 38, APOS = 39, SLASH = 47;
const COLON = 58, SEMICOLON = 59, LT = 60, EQUALS = 61, GT = 62, CLOSE_BRACKET = 93;

/** `<?xml version="1.0" [encoding="UTF-8"] [standalone="yes|no"]?>`: the body arrives already decoded, so any other encoding is refused. */
const DECLARATION =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.0\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[Uu][Tt][Ff]-8\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>/;

/**
 * Tokens: start tags (`XML_START`; a self-closing tag is followed by its own `XML_END`), end tags, and text runs.
 * Comments are skipped. It refuses (XML_INVALID) a DOCTYPE, CDATA, processing instructions other than a leading
 * UTF-8 declaration, a byte order mark, element names outside ASCII or with a namespace prefix, mismatched or
 * unclosed tags, duplicate attributes, `]]>` in text, characters XML 1.0 forbids, raw or via a bad reference, and
 * anything but whitespace and comments outside the single root element. End tags are checked against the open
 * element, so callers only count depth.
 */
export class XmlScanner {
  /** The name of the last start tag, as a range of the source. */
  nameStart = 0;
  nameEnd = 0;
  /** Whether the last start tag carried attributes (never decoded; callers only accept or refuse them). */
  hasAttributes = false;
  /** The raw range of the last text run, or of the content `readSimpleContent` read. */
  textStart = 0;
  textEnd = 0;
  /** Only spaces, tabs and line breaks (a reference counts as content). */
  textIsWhitespace = true;
  textHasReference = false;
  /** A raw CR, which XML turns into LF, so the literal value is ambiguous. */
  textHasCarriageReturn = false;

  private readonly source: string;
  private pos = 0;
  private failed = false;
  private rootSeen = false;
  private pendingEnd = false;
  /** Start and end of each open element's name, flattened. */
  private readonly open: number[] = [];
  /** Start and end of each attribute name of the tag being read, flattened, to refuse repeats. */
  private readonly attributeNames: number[] = [];
  /** Set by `scanName`. */
  private nameHadColon = false;
  /** Set by `readReference`: the index just after the reference's `;`. */
  private referenceEnd = 0;

  constructor(source: string) {
    this.source = source;
    if (source.startsWith('<?xml')) {
      const declaration = DECLARATION.exec(source);
      if (declaration === null) this.failed = true;
      else this.pos = declaration[0].length;
    }
  }

  /** Whether the last start tag's name is exactly `name`. */
  nameIs(name: string): boolean {
    return this.nameEnd - this.nameStart === name.length && this.source.startsWith(name, this.nameStart);
  }

  /** Whether the last text is exactly `literal`, spelled without references. */
  textIs(literal: string): boolean {
    return !this.textHasReference && this.textEnd - this.textStart === literal.length && this.source.startsWith(literal, this.textStart);
  }

  next(): XmlToken {
    if (this.failed) return XML_INVALID;
    if (this.pendingEnd) {
      this.pendingEnd = false;
      this.open.length -= 2;
      return XML_END;
    }
    const s = this.source;
    for (;;) {
      const at = this.pos;
      if (at >= s.length) return this.open.length === 0 && this.rootSeen ? XML_DONE : this.fail();
      if (s.charCodeAt(at) !== LT) {
        const end = this.scanCharacters(at, LT);
        if (end < 0) return this.fail();
        this.textStart = at;
        this.textEnd = end;
        this.pos = end;
        if (this.open.length > 0) return XML_TEXT;
        if (!this.textIsWhitespace) return this.fail();
        continue;
      }
      const c = s.charCodeAt(at + 1);
      if (c === SLASH) return this.readEndTag(at + 2);
      if (c === BANG) {
        // Comments only; `--` may not appear inside one.
        const close = s.startsWith('<!--', at) ? s.indexOf('--', at + 4) : -1;
        if (close < 0 || s.charCodeAt(close + 2) !== GT) return this.fail();
        this.pos = close + 3;
        continue;
      }
      if (this.rootSeen && this.open.length === 0) return this.fail();
      return this.readStartTag(at + 1);
    }
  }

  /**
   * After an `XML_START`: consumes the element through its end tag. True when the content was one text run
   * or nothing (then `text*` describe it, empty for `<X/>`); false for child elements or text split by a comment.
   */
  readSimpleContent(): boolean {
    const token = this.next();
    if (token === XML_END) {
      this.textStart = this.textEnd = this.pos;
      this.textIsWhitespace = true;
      this.textHasReference = this.textHasCarriageReturn = false;
      return true;
    }
    return token === XML_TEXT && this.next() === XML_END;
  }

  /** After an `XML_START`: consumes the element and its whole subtree. False when the document is invalid. */
  skipElement(): boolean {
    for (let depth = 1; depth > 0; ) {
      const token = this.next();
      if (token === XML_START) depth++;
      else if (token === XML_END) depth--;
      else if (token !== XML_TEXT) return false;
    }
    return true;
  }

  /** The last text with references decoded; undefined when it held a raw CR. */
  textValue(): string | undefined {
    if (this.textHasCarriageReturn) return undefined;
    const s = this.source;
    if (!this.textHasReference) return s.slice(this.textStart, this.textEnd);
    let value = '';
    let copied = this.textStart;
    for (let amp = s.indexOf('&', copied); amp >= 0 && amp < this.textEnd; amp = s.indexOf('&', copied)) {
      const codePoint = this.readReference(amp);
      if (codePoint < 0) return undefined;
      value += s.slice(copied, amp) + String.fromCodePoint(codePoint);
      copied = this.referenceEnd;
    }
    return value + s.slice(copied, this.textEnd);
  }

  private fail(): XmlToken {
    this.failed = true;
    return XML_INVALID;
  }

  private readStartTag(at: number): XmlToken {
    const s = this.source;
    const nameEnd = this.scanName(at);
    // A prefixed element could be one of the caller's in another spelling, so none is accepted.
    if (nameEnd < 0 || this.nameHadColon) return this.fail();
    this.nameStart = at;
    this.nameEnd = nameEnd;
    this.hasAttributes = false;
    const attributeNames = this.attributeNames;
    attributeNames.length = 0;
    let i = nameEnd;
    for (;;) {
      const spaceStart = i;
      i = this.skipSpace(i);
      const c = s.charCodeAt(i);
      if (c === GT) {
        i += 1;
        break;
      }
      if (c === SLASH && s.charCodeAt(i + 1) === GT) {
        i += 2;
        this.pendingEnd = true;
        break;
      }
      const attributeEnd = i === spaceStart ? -1 : this.scanName(i);
      if (attributeEnd < 0 || isRepeated(s, attributeNames, i, attributeEnd)) return this.fail();
      attributeNames.push(i, attributeEnd);
      i = this.skipSpace(attributeEnd);
      if (s.charCodeAt(i) !== EQUALS) return this.fail();
      i = this.skipSpace(i + 1);
      const quote = s.charCodeAt(i);
      if (quote !== QUOTE && quote !== APOS) return this.fail();
      const valueEnd = this.scanCharacters(i + 1, quote);
      if (valueEnd < 0 || s.charCodeAt(valueEnd) !== quote) return this.fail();
      i = valueEnd + 1;
      this.hasAttributes = true;
    }
    this.open.push(at, nameEnd);
    this.rootSeen = true;
    this.pos = i;
    return XML_START;
  }

  private readEndTag(at: number): XmlToken {
    const s = this.source;
    const nameEnd = this.scanName(at);
    const depth = this.open.length;
    if (nameEnd < 0 || depth === 0) return this.fail();
    const openStart = this.open[depth - 2] ?? 0;
    const openEnd = this.open[depth - 1] ?? 0;
    if (openEnd - openStart !== nameEnd - at || !sameRange(s, openStart, at, nameEnd - at)) return this.fail();
    const close = this.skipSpace(nameEnd);
    if (s.charCodeAt(close) !== GT) return this.fail();
    this.open.length -= 2;
    this.pos = close + 1;
    return XML_END;
  }

  /** End of an ASCII XML name starting at `at` (`[A-Za-z_:][A-Za-z0-9_.:-]*`), or -1. */
  private scanName(at: number): number {
    const s = this.source;
    const first = s.charCodeAt(at);
    if (!(((first | 0x20) >= 97 && (first | 0x20) <= 122) || first === 95 || first === COLON)) return -1;
    let colon = first === COLON;
    let i = at + 1;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const lower = c | 0x20;
      if ((lower >= 97 && lower <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46) continue;
      if (c !== COLON) break;
      colon = true;
    }
    this.nameHadColon = colon;
    return i;
  }

  private skipSpace(at: number): number {
    const s = this.source;
    let i = at;
    for (let c = s.charCodeAt(i); c === SPACE || c === LF || c === TAB || c === CR; c = s.charCodeAt(++i));
    return i;
  }

  /**
   * Checks characters from `at` up to `stop` (or the end of input) and returns where it stopped, or -1 on a
   * forbidden character, a raw `<` before `stop`, a bad reference, or `]]>` in text. Sets the `text*` flags.
   */
  private scanCharacters(at: number, stop: number): number {
    const s = this.source;
    let whitespace = true;
    let reference = false;
    let carriageReturn = false;
    let i = at;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === stop) break;
      if (c > SPACE && c < 0xd800 && c !== AMP && c !== LT && c !== GT) {
        whitespace = false;
      } else if (c === SPACE || c === LF || c === TAB) {
        // Whitespace keeps `whitespace` as it is.
      } else if (c === CR) {
        carriageReturn = true;
      } else if (c === AMP) {
        if (this.readReference(i) < 0) return -1;
        whitespace = false;
        reference = true;
        i = this.referenceEnd - 1;
      } else if (c === GT) {
        if (stop === LT && i >= at + 2 && s.charCodeAt(i - 1) === CLOSE_BRACKET && s.charCodeAt(i - 2) === CLOSE_BRACKET) return -1;
        whitespace = false;
      } else if (c >= 0xd800 && c <= 0xdbff) {
        const low = s.charCodeAt(i + 1);
        if (!(low >= 0xdc00 && low <= 0xdfff)) return -1;
        whitespace = false;
        i++;
      } else if (c < SPACE || c === LT || (c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) {
        return -1;
      } else {
        whitespace = false;
      }
    }
    this.textIsWhitespace = whitespace;
    this.textHasReference = reference;
    this.textHasCarriageReturn = carriageReturn;
    return i;
  }

  /**
   * The code point of the reference starting with `&` at `at`, or -1. Accepts the five predefined entities and
   * `&#N;` / `&#xH;` naming a Unicode scalar value other than 0; sets `referenceEnd`.
   */
  private readReference(at: number): number {
    const s = this.source;
    if (s.charCodeAt(at + 1) !== HASH) {
      for (const [name, codePoint] of PREDEFINED_ENTITIES) {
        if (s.startsWith(name, at + 1)) {
          this.referenceEnd = at + 1 + name.length;
          return codePoint;
        }
      }
      return -1;
    }
    const hex = s.charCodeAt(at + 2) === 120; // 'x'; XML has no `&#X`
    const digitsStart = hex ? at + 3 : at + 2;
    let codePoint = 0;
    let i = digitsStart;
    for (; ; i++) {
      const c = s.charCodeAt(i);
      let digit: number;
      if (c >= 48 && c <= 57) digit = c - 48;
      else if (hex && (c | 0x20) >= 97 && (c | 0x20) <= 102) digit = (c | 0x20) - 87;
      else break;
      codePoint = codePoint * (hex ? 16 : 10) + digit;
      if (codePoint > 0x10ffff) return -1;
    }
    if (i === digitsStart || s.charCodeAt(i) !== SEMICOLON || codePoint === 0 || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return -1;
    this.referenceEnd = i + 1;
    return codePoint;
  }
}

/** XML's five predefined entities, each spelled with its closing `;`. */
const PREDEFINED_ENTITIES: ReadonlyArray<readonly [string, number]> = [['amp;', AMP], ['lt;', LT], ['gt;', GT], ['quot;', QUOTE], ['apos;', APOS]];

/** Whether the `length` characters at `a` and at `b` are the same. */
function sameRange(s: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (s.charCodeAt(a + k) !== s.charCodeAt(b + k)) return false;
  return true;
}

/** Whether the attribute name [start, end) already appears among `names` (flattened ranges). */
function isRepeated(s: string, names: readonly number[], start: number, end: number): boolean {
  for (let k = 0; k < names.length; k += 2) {
    const otherStart = names[k] ?? 0;
    const otherEnd = names[k + 1] ?? 0;
    if (otherEnd - otherStart === end - start && sameRange(s, otherStart, start, end - start)) return true;
  }
  return false;
}
