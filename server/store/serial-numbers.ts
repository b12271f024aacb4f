import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A serial number in the vendor's XXXXXX-XXXXXX-XXXXXX-XXXXXX-XXXXXX form, from a CSPRNG. */
export function newSerialString(): string {
  const groups: string[] = [];
  for (let g = 0; g < 5; g++) {
    let group = '';
    for (let i = 0; i < 6; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

export const SERIAL_PATTERN = /^[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){4}$/;
