import { describe, expect, it } from 'vitest';
import { hexOf, memoryBytes, textOf } from '../../renderer/src/components/memory-bytes';

/** A memory param as the key detail shows it: its bytes in hex, then as text. */
const shown = (base64: string) => {
  const bytes = memoryBytes(base64);
  return bytes && { hex: hexOf(bytes), text: textOf(bytes) };
};

describe("a memory param's bytes", () => {
  it('read as a key dump shows them: two hex digits a byte, printable ASCII as is and a dot for the rest', () => {
    // 12345 as a big-endian 32-bit number: 00 00 30 39, of which "09" is printable.
    expect(shown('AAAwOQ==')).toEqual({ hex: '00 00 30 39', text: '..09' });
    expect(shown(btoa('Key~\u007f '))).toEqual({ hex: '4b 65 79 7e 7f 20', text: 'Key~. ' });
  });

  it('are empty for an empty param, and null (nothing to show) for data that is not base64', () => {
    expect(shown('')).toEqual({ hex: '', text: '' });
    expect(memoryBytes('not base64!')).toBeNull();
  });
});
