// MLLP (HL7 v2 Minimal Lower Layer Protocol, release 2): each message is sent as <VT> message <FS><CR>.
export const MLLP_START = 0x0b;
export const MLLP_END = 0x1c;
export const MLLP_CR = 0x0d;

export type MllpEvent =
  /** A complete frame's payload, without the framing bytes. */
  | { type: 'frame'; payload: Buffer }
  /** Bytes outside any frame (noise, a sender that does not frame), dropped. */
  | { type: 'garbage'; bytes: number }
  /** A start byte arrived inside a frame: the unfinished frame is dropped and a new one begins. */
  | { type: 'interrupted'; bytes: number }
  /** The frame grew past the limit before its end: its first bytes, for a best-effort reply. */
  | { type: 'oversized'; head: Buffer; bytes: number };

const headBytes = 4096;

/**
 * Splits a TCP byte stream into MLLP frames, whatever the chunking. Bounded: a frame longer than `maxFrameBytes`
 * is reported once as `oversized` and the decoder then discards everything (the caller closes the connection).
 */
export class MllpFrameDecoder {
  private chunks: Buffer[] = [];
  private size = 0;
  private inFrame = false;
  private overflowed = false;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes of the frame being received. */
  get pendingBytes(): number {
    return this.size;
  }

  push(data: Buffer): MllpEvent[] {
    if (this.overflowed) return [];
    const events: MllpEvent[] = [];
    let garbage = 0;
    let i = 0;
    while (i < data.length) {
      if (!this.inFrame) {
        const start = data.indexOf(MLLP_START, i);
        const end = start === -1 ? data.length : start;
        // A CR or LF straight after a frame end is the usual <FS><CR> tail or a sender's extra newline.
        for (let j = i; j < end; j++) if (data[j] !== MLLP_CR && data[j] !== 0x0a) garbage++;
        if (start === -1) break;
        this.inFrame = true;
        i = start + 1;
        continue;
      }
      const stop = indexOfEither(data, MLLP_END, MLLP_START, i);
      const slice = data.subarray(i, stop === -1 ? data.length : stop);
      if (this.size + slice.length > this.maxFrameBytes) {
        const bytes = this.size + slice.length;
        this.append(slice.subarray(0, Math.max(0, headBytes - this.size)));
        events.push({ type: 'oversized', head: Buffer.concat(this.chunks), bytes });
        this.overflowed = true;
        this.reset();
        return garbage ? [{ type: 'garbage', bytes: garbage }, ...events] : events;
      }
      this.append(slice);
      if (stop === -1) break;
      if (data[stop] === MLLP_START) {
        events.push({ type: 'interrupted', bytes: this.size });
        this.reset();
        this.inFrame = true;
        i = stop + 1;
        continue;
      }
      // <FS> ends the frame; the <CR> after it, if any, is skipped as part of the outside.
      events.push({ type: 'frame', payload: Buffer.concat(this.chunks, this.size) });
      this.reset();
      i = stop + 1;
    }
    if (garbage) events.unshift({ type: 'garbage', bytes: garbage });
    return events;
  }

  private append(slice: Buffer): void {
    if (slice.length === 0) return;
    // Copy: the socket may reuse its buffers.
    this.chunks.push(Buffer.from(slice));
    this.size += slice.length;
  }

  private reset(): void {
    this.chunks = [];
    this.size = 0;
    this.inFrame = false;
  }
}

function indexOfEither(data: Buffer, a: number, b: number, from: number): number {
  const ia = data.indexOf(a, from);
  const ib = data.indexOf(b, from);
  if (ia === -1) return ib;
  return ib === -1 ? ia : Math.min(ia, ib);
}

/** Frames a message for MLLP. */
export function encodeMllpFrame(message: string, encoding: BufferEncoding = 'utf8'): Buffer {
  const body = Buffer.from(message, encoding);
  const frame = Buffer.allocUnsafe(body.length + 3);
  frame[0] = MLLP_START;
  body.copy(frame, 1);
  frame[body.length + 1] = MLLP_END;
  frame[body.length + 2] = MLLP_CR;
  return frame;
}
