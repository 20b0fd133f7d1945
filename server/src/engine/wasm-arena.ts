/**
 * A WebAssembly kernel's shared memory, split in two: the arena below `top`
 * holds what a run keeps resident (weights, gradients, the workspaces), and
 * the scratch space above it takes the operands a product copies in. Arena
 * arrays are never freed: they live as long as the kernel, which lives for
 * one run. Growing a shared memory leaves earlier views valid, so the arena
 * hands out plain Float64Arrays that the rest of the engine reads as usual.
 */
export interface SharedMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

// past each array, so that a 4-wide panel reading the last row of B runs into
// slack rather than past the memory's end (the columns it reads there are dropped)
const slack = 4;
const line = 8; // doubles per 64-byte cache line: every array starts on one

export class Arena {
  /** the memory as doubles, renewed when it grows */
  heap: Float64Array;
  /** the first double above the arena: where scratch space starts */
  top = 0;
  // every buffer object the memory has had: a view is resident if its buffer is one of them
  private readonly buffers = new Set<ArrayBufferLike>();
  // the buffer of the last resident view asked about: small products ask several times per call
  private recent: ArrayBufferLike;

  constructor(private readonly memory: SharedMemory) {
    this.heap = new Float64Array(memory.buffer);
    this.buffers.add(this.heap.buffer);
    this.recent = this.heap.buffer;
  }

  /**
   * A zeroed array in the arena; one that the memory cannot grow to hold is
   * an ordinary array, which products then copy in and out as before.
   */
  allocate(length: number): Float64Array {
    if (!(Number.isInteger(length) && length >= 0)) return new Float64Array(length); // the usual RangeError
    const at = this.top;
    const top = Math.ceil((at + length + slack) / line) * line;
    try {
      this.reserve(top + slack);
    } catch {
      return new Float64Array(length);
    }
    this.top = top;
    // scratch space may have used these doubles before
    return new Float64Array(this.heap.buffer, at * 8, length).fill(0);
  }

  /** The memory as doubles with at least `doubles` of them. */
  reserve(doubles: number): Float64Array {
    const missing = doubles * 8 - this.heap.byteLength;
    if (missing > 0) {
      this.memory.grow(Math.ceil(missing / 65536));
      this.heap = new Float64Array(this.memory.buffer);
      this.buffers.add(this.heap.buffer);
    }
    return this.heap;
  }

  /** The byte offsets of arrays that all live in the memory, or undefined when one lives elsewhere. */
  offsetsOf(...arrays: Float64Array[]): number[] | undefined {
    const at = arrays.map((array) => this.offsetOf(array));
    return at.some((offset) => offset < 0) ? undefined : at;
  }

  /** The byte offset of `array` in the memory, or −1 when it lives elsewhere. */
  offsetOf(array: Float64Array): number {
    const buffer = array.buffer;
    if (buffer === this.recent) return array.byteOffset;
    if (!this.buffers.has(buffer)) return -1;
    this.recent = buffer;
    return array.byteOffset;
  }
}
