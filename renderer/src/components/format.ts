import { parseKeyId, toUint32 } from '../../../shared/guardant/numbers';

/** How the UI prints times, ids and ages: one place, so every screen reads the same. */

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const date = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit' });

/** Station times are epoch milliseconds. */
export const formatTime = (ms: number) => time.format(ms);
export const formatDateTime = (ms: number) => dateTime.format(ms);
/** "08:02": when a shift started, as the header says it. */
export const formatClock = (ms: number) => clock.format(ms);

/** Guardant wire times are Unix seconds; 0 means "not set". */
export const formatUnixDateTime = (seconds: number | undefined) =>
  seconds ? dateTime.format(seconds * 1000) : '—';
export const formatUnixDate = (seconds: number | undefined) => (seconds ? date.format(seconds * 1000) : '—');

/** "just now", "5 min old", "3 h old", "2 days old". */
export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min old`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h old`;
  return `${Math.floor(hours / 24)} days old`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago": how long since something happened. */
export function formatAgo(ms: number): string {
  const age = formatAge(ms);
  return age === 'just now' ? age : age.replace(/ old$/, ' ago');
}

/** "in 2 min", "now". */
export function formatDue(ms: number, now: number): string {
  const seconds = Math.round((ms - now) / 1000);
  if (seconds <= 0) return 'now';
  if (seconds < 60) return `in ${seconds} s`;
  return `in ${Math.round(seconds / 60)} min`;
}

/** Key ids and codes are unsigned 32-bit values; hex is how the key's label prints them. */
export const formatHex = (value: number) => toUint32(value).toString(16).toUpperCase().padStart(8, '0');

/** Reads a key id typed or scanned in either form Guardant tools print: signed, unsigned or 0x hex. */
export function parseDongleId(text: string): number | null {
  const t = text.trim();
  if (/^0x[0-9a-f]{1,8}$/i.test(t)) return Number.parseInt(t.slice(2), 16);
  return parseKeyId(t);
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
