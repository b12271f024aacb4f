import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Bytes at or above the largest multiple of 62 are skipped, so every character is equally likely. */
const UNBIASED_BELOW = 256 - (256 % ALPHABET.length);

/** CSPRNG bytes drawn in blocks: one randomInt call per character made issuing 10,000 serials slow. */
let pool = Buffer.alloc(0);
let next = 0;
function randomIndex(): number {
  for (;;) {
    if (next >= pool.length) {
      pool = randomBytes(4096);
      next = 0;
    }
    const byte = pool[next++]!;
    if (byte < UNBIASED_BELOW) return byte % ALPHABET.length;
  }
}

/** A serial number in the vendor's XXXXXX-XXXXXX-XXXXXX-XXXXXX-XXXXXX form, from a CSPRNG. */
export function newSerialString(): string {
  const groups: string[] = [];
  for (let g = 0; g < 5; g++) {
    let group = '';
    for (let i = 0; i < 6; i++) group += ALPHABET[randomIndex()];
    groups.push(group);
  }
  return groups.join('-');
}

export const SERIAL_PATTERN = /^[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){4}$/;
