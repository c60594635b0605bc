import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMllpFrame, type MllpEvent, MllpFrameDecoder } from './mllp-framing';

const one = 'MSH|^~\\&|A|B|C|D|20260127||ORU^R01|1|P|2.5\rOBX|1|ST|x||é ü ß\r';
const two = 'MSH|^~\\&|A|B|C|D|20260127||ORU^R01|2|P|2.5\r';

function frames(events: MllpEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'frame' ? [e.payload.toString('utf8')] : []));
}

describe('MllpFrameDecoder', () => {
  it('frames <VT> message <FS><CR>', () => {
    expect(encodeMllpFrame('MSH|x').toString('latin1')).toBe('\u000bMSH|x\u001c\r');
    const decoder = new MllpFrameDecoder(1024);
    expect(decoder.push(encodeMllpFrame(one))).toEqual([{ type: 'frame', payload: Buffer.from(one) }]);
  });

  it('finds every frame whatever the TCP chunking (property)', () => {
    const stream = Buffer.concat([encodeMllpFrame(one), encodeMllpFrame(two), encodeMllpFrame(one)]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const decoder = new MllpFrameDecoder(1024);
        const events: MllpEvent[] = [];
        let from = 0;
        for (const p of [...points, stream.length]) {
          events.push(...decoder.push(stream.subarray(from, p)));
          from = p;
        }
        expect(frames(events)).toEqual([one, two, one]);
        expect(events.every((e) => e.type === 'frame')).toBe(true);
        expect(decoder.pendingBytes).toBe(0);
      }),
    );
  });

  it('drops and counts bytes outside frames, but not the line ends after a frame', () => {
    const decoder = new MllpFrameDecoder(1024);
    const events = decoder.push(
      Buffer.concat([
        Buffer.from('noise'),
        encodeMllpFrame(one),
        Buffer.from('\r\n\r\n'),
        Buffer.from([0x00, 0xff]),
        encodeMllpFrame(two),
      ]),
    );
    expect(events[0]).toEqual({ type: 'garbage', bytes: 7 });
    expect(frames(events)).toEqual([one, two]);
  });

  it('ends a frame at <FS> even when the <CR> never comes', () => {
    const decoder = new MllpFrameDecoder(1024);
    const events = decoder.push(Buffer.from(`\u000b${two}\u001c\u000b${one}\u001c`));
    expect(frames(events)).toEqual([two, one]);
  });

  it('drops an unfinished frame interrupted by a new start byte', () => {
    const decoder = new MllpFrameDecoder(1024);
    const events = decoder.push(Buffer.concat([Buffer.from('\u000bMSH|half'), encodeMllpFrame(two)]));
    expect(events).toEqual([
      { type: 'interrupted', bytes: 8 },
      { type: 'frame', payload: Buffer.from(two) },
    ]);
  });

  it('reports a frame over the limit once, with its head, and then ignores the stream', () => {
    const decoder = new MllpFrameDecoder(100);
    const first = decoder.push(Buffer.concat([encodeMllpFrame(two), Buffer.from(`\u000b${two}`)]));
    expect(frames(first)).toEqual([two]);
    const events = decoder.push(Buffer.from('x'.repeat(200)));
    expect(events).toHaveLength(1);
    const [oversized] = events;
    expect(oversized?.type).toBe('oversized');
    if (oversized?.type !== 'oversized') return;
    expect(oversized.head.toString().startsWith(two)).toBe(true);
    expect(oversized.bytes).toBe(two.length + 200);
    expect(decoder.push(encodeMllpFrame(one))).toEqual([]);
  });
});
