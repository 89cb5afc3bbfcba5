// An incremental parser for aws-chunked request bodies that accepts any split of the input and reports data as slices of it.
//
// Wire forms (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html):
//   signed:   <hex-size>;chunk-signature=<64 hex>\r\n<data>\r\n ... 0;chunk-signature=<64 hex>\r\n[trailer lines]\r\n
//   unsigned: <hex-size>\r\n<data>\r\n ... 0\r\n[trailer lines]\r\n
// where a trailer line is "name:value\r\n". The parser does no cryptography: it reports chunk
// boundaries, data and trailers through events, and a caller (payloadReader) checks signatures.
//
// Errors follow what S3 answers: any framing fault -> 400 IncompleteBody "The request body
// terminated unexpectedly"; a trailer line that is not "name:value" -> 400 MalformedTrailerError.

import { S3Error } from '../errors.js';

export interface AwsChunkedEvents {
  /** A chunk header was read. `signature` is set for the signed form. Size 0 is the final chunk. */
  chunkStart(size: number, signature: string | undefined): void;
  /** Bytes of the current chunk: a view into the buffer given to `write` (never a copy). */
  data(slice: Buffer): void;
  /** The current chunk's data and its CRLF are complete (for the final chunk: right after its header). */
  chunkEnd(): void;
  /** One trailer line; the name is lower-cased, name and value are trimmed. */
  trailer(name: string, value: string): void;
}

/** Longest header or trailer line accepted, in bytes; real ones are under 120. */
const MAX_LINE_BYTES = 4096;
/** Most trailer lines accepted; S3 clients send one checksum plus, when signed, its signature. */
const MAX_TRAILER_LINES = 16;

const SIGNED_HEADER = /^([0-9a-fA-F]{1,13});chunk-signature=([0-9a-f]{64})$/;
const UNSIGNED_HEADER = /^([0-9a-fA-F]{1,13})$/;

type State = 'size' | 'data' | 'data-cr' | 'data-lf' | 'trailer' | 'done';

function framingError(): S3Error {
  return new S3Error('IncompleteBody', 'The request body terminated unexpectedly');
}

export class AwsChunkedDecoder {
  private state: State = 'size';
  /** Partial header or trailer line carried across writes (latin1, so bytes map 1:1 to chars). */
  private pending = '';
  private remaining = 0;
  private trailerLines = 0;

  constructor(
    private readonly signed: boolean,
    private readonly events: AwsChunkedEvents,
  ) {}

  /** True once the terminating empty line has been read. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** Consumes one piece of the body. Throws S3Error on malformed framing. */
  write(input: Buffer): void {
    let pos = 0;
    const length = input.length;
    while (pos < length) {
      switch (this.state) {
        case 'data': {
          const take = Math.min(this.remaining, length - pos);
          this.events.data(input.subarray(pos, pos + take));
          pos += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'data-cr';
          break;
        }
        case 'data-cr':
          if (input[pos++] !== 0x0d) throw framingError();
          this.state = 'data-lf';
          break;
        case 'data-lf':
          if (input[pos++] !== 0x0a) throw framingError();
          this.state = 'size';
          this.events.chunkEnd();
          break;
        case 'size':
        case 'trailer': {
          const newline = input.indexOf(0x0a, pos);
          const end = newline < 0 ? length : newline;
          if (this.pending.length + (end - pos) > MAX_LINE_BYTES) throw framingError();
          this.pending += input.toString('latin1', pos, end);
          if (newline < 0) {
            pos = length;
            break;
          }
          pos = newline + 1;
          const line = this.pending;
          this.pending = '';
          if (!line.endsWith('\r')) throw framingError();
          this.onLine(line.slice(0, -1));
          break;
        }
        case 'done':
          // Bytes after the terminating empty line: the framing and the body length disagree.
          throw framingError();
      }
    }
  }

  /**
   * Declares the end of the body. Throws IncompleteBody unless the final chunk was read. The last
   * empty line may be missing: the JavaScript SDK ends a body without trailers with "0\r\n" alone.
   */
  end(): void {
    if (this.state === 'done') return;
    if (this.state === 'trailer' && this.pending === '') {
      this.state = 'done';
      return;
    }
    throw framingError();
  }

  private onLine(line: string): void {
    if (this.state === 'size') {
      const match = (this.signed ? SIGNED_HEADER : UNSIGNED_HEADER).exec(line);
      if (match === null) throw framingError();
      const size = parseInt(match[1] ?? '', 16);
      this.events.chunkStart(size, match[2]);
      if (size === 0) {
        this.events.chunkEnd();
        this.state = 'trailer';
      } else {
        this.remaining = size;
        this.state = 'data';
      }
      return;
    }
    if (line === '') {
      this.state = 'done';
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || ++this.trailerLines > MAX_TRAILER_LINES) throw new S3Error('MalformedTrailerError');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === '') throw new S3Error('MalformedTrailerError');
    this.events.trailer(name, line.slice(colon + 1).trim());
  }
}
