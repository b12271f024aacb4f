import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatAgo,
  formatDue,
  formatHex,
  formatUnixDate,
  parseDongleId,
  plural,
} from '../../renderer/src/components/format';

const MIN = 60_000;

describe('how the UI prints ages and due times', () => {
  it('rounds an age down to what the operator reads at a glance', () => {
    expect(formatAge(59_999)).toBe('just now');
    expect(formatAge(5 * MIN + 59_000)).toBe('5 min old');
    expect(formatAge(59 * MIN)).toBe('59 min old');
    expect(formatAge(60 * MIN)).toBe('1 h old');
    expect(formatAge(47 * 60 * MIN)).toBe('47 h old');
    expect(formatAge(48 * 60 * MIN)).toBe('2 days old');
  });

  it('says "ago" for things that happened, but never "just now ago"', () => {
    expect(formatAgo(10 * MIN)).toBe('10 min ago');
    expect(formatAgo(1_000)).toBe('just now');
  });

  it('says when a retry is due: now once past, seconds under a minute, minutes after', () => {
    expect(formatDue(1_000, 5_000)).toBe('now');
    expect(formatDue(5_000, 5_000)).toBe('now');
    expect(formatDue(35_000, 5_000)).toBe('in 30 s');
    expect(formatDue(5_000 + 2 * MIN, 5_000)).toBe('in 2 min');
  });

  it('prints "—" for a Guardant time of 0, which means not set', () => {
    expect(formatUnixDate(0)).toBe('—');
    expect(formatUnixDate(undefined)).toBe('—');
    expect(formatUnixDate(1_700_000_000)).not.toBe('—');
  });
});

describe('key ids', () => {
  it('print as the key label does: eight upper-case hex digits, negative ids as unsigned', () => {
    expect(formatHex(0xab)).toBe('000000AB');
    expect(formatHex(-1)).toBe('FFFFFFFF');
  });

  it('are read in every form Guardant tools print them: signed, unsigned and 0x hex', () => {
    expect(parseDongleId(' 305419896 ')).toBe(0x12345678);
    expect(parseDongleId('0x12345678')).toBe(305419896);
    expect(parseDongleId('0XfFfFfFfF')).toBe(4294967295);
    expect(parseDongleId('-1')).toBe(4294967295);
    expect(parseDongleId('-2147483648')).toBe(2147483648);
  });

  it('refuse what is no 32-bit key id instead of wrapping it onto another key', () => {
    expect(parseDongleId('4294967296')).toBeNull();
    expect(parseDongleId('-2147483649')).toBeNull();
    expect(parseDongleId('0x123456789')).toBeNull();
    expect(parseDongleId('12ab')).toBeNull();
    expect(parseDongleId('')).toBeNull();
  });
});

it('counts in words with the right plural', () => {
  expect(plural(1, 'key')).toBe('1 key');
  expect(plural(0, 'key')).toBe('0 keys');
  expect(plural(2, 'entry', 'entries')).toBe('2 entries');
});
