// Page-aligned buffers for direct I/O, which the kernel refuses from memory that is not block-aligned.

/** Direct I/O works in whole blocks: buffer addresses, file offsets and lengths are multiples of this. */
export const DIRECT_IO_BLOCK = 4096;

const WASM_PAGE_BYTES = 64 * 1024;

/** The one WebAssembly call used here: the project's TypeScript libraries declare WebAssembly's types, not its values. */
declare const WebAssembly: { Memory: new (descriptor: { initial: number; maximum?: number }) => { readonly buffer: ArrayBuffer } };

/**
 * Node has no aligned allocation, but a WebAssembly memory is mapped on its own, starting on a
 * page boundary, so a Buffer over it is aligned. Each costs a large reservation of address space
 * (not memory), so a bounded pool reuses them; `acquire()` returns undefined when V8 refuses one.
 */
export class AlignedBufferPool {
  private readonly spare: Buffer[] = [];

  constructor(
    readonly bufferBytes: number,
    private readonly maxSpare: number,
  ) {
    if (bufferBytes <= 0 || bufferBytes % WASM_PAGE_BYTES !== 0) throw new RangeError(`aligned buffers are whole 64 KiB pages, not ${bufferBytes} bytes`);
  }

  acquire(): Buffer | undefined {
    const reused = this.spare.pop();
    if (reused) return reused;
    try {
      return Buffer.from(new WebAssembly.Memory({ initial: this.bufferBytes / WASM_PAGE_BYTES }).buffer);
    } catch {
      return undefined; // out of address space: the caller writes through the page cache instead
    }
  }

  /** Takes a buffer back once no I/O uses it; beyond the spares it is left to the collector. */
  release(buffer: Buffer): void {
    if (buffer.length === this.bufferBytes && this.spare.length < this.maxSpare) this.spare.push(buffer);
  }
}
