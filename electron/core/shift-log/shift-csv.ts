import { stringify } from 'csv-stringify/sync';
import type { ShiftLogEntry } from '../../../shared/station/models';
import { shiftActionInWords, shiftOutcomeInWords } from '../../../shared/station/shift-words';

/**
 * "2026-12-02T08:02:13+01:00": the station's local time, as the screen shows it, with its offset so a
 * spreadsheet (or another time zone) reads the same instant. toISOString would give UTC.
 */
export function localIsoTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  );
}

/**
 * The byte-order mark makes Excel read the file as UTF-8 ("3× added", "Müller GmbH" stay as typed);
 * CRLF row ends are RFC 4180's; cells a spreadsheet would run as formulas are escaped with a quote.
 */
const toCsv = (rows: Array<Array<string | number>>): string =>
  stringify(rows, { bom: true, escape_formulas: true, record_delimiter: 'windows' });

export const KEY_OUTCOME_COLUMNS = [
  'time',
  'station',
  'operator',
  'order number',
  'customer',
  'key id',
  'model',
  'USB port',
  'action',
  'outcome',
  'code',
  'meaning',
] as const;

/** One row per key outcome: events about a whole run or batch are on screen, not in the CSV. */
export function keyOutcomesCsv(entries: ShiftLogEntry[]): string {
  const rows = entries
    .filter((e) => e.keyOutcome)
    .map((e) => [
      localIsoTime(e.at),
      e.station,
      e.operator,
      e.orderNumber ?? '',
      e.customer,
      e.dongleId ?? '',
      e.keyModel,
      e.usbPort,
      shiftActionInWords(e.action),
      shiftOutcomeInWords(e.outcome),
      e.code ?? '',
      e.detail,
    ]);
  return toCsv([[...KEY_OUTCOME_COLUMNS], ...rows]);
}

export const ORDER_SUMMARY_COLUMNS = [
  'order number',
  'customer',
  'keys',
  'written',
  'added',
  'failed',
  'not attempted',
  'cancelled',
  'other',
  'first',
  'last',
] as const;

/**
 * The shift's key outcomes summed per order, in the order each was first worked on. A key written
 * after a failed attempt counts once, by its last outcome: "keys" is how many distinct keys the
 * order saw this shift.
 */
export function orderSummaryCsv(entries: ShiftLogEntry[]): string {
  interface Sum {
    number: number | string;
    customer: string;
    last: Map<number, string>;
    first: number;
    lastAt: number;
  }
  const orders = new Map<string, Sum>();
  for (const e of entries) {
    if (!e.keyOutcome || e.orderId === null || e.dongleId === null) continue;
    const key = String(e.orderId);
    const sum = orders.get(key) ?? {
      number: e.orderNumber ?? '',
      customer: e.customer,
      last: new Map<number, string>(),
      first: e.at,
      lastAt: e.at,
    };
    sum.last.set(e.dongleId, e.outcome);
    sum.lastAt = e.at;
    if (!sum.customer && e.customer) sum.customer = e.customer;
    if (sum.number === '' && e.orderNumber !== null) sum.number = e.orderNumber;
    orders.set(key, sum);
  }
  const rows = [...orders.values()].map((s) => {
    const outcomes = [...s.last.values()];
    const count = (o: string) => outcomes.filter((x) => x === o).length;
    const named = ['written', 'added', 'failed', 'skipped', 'cancelled'];
    const known = named.reduce((n, o) => n + count(o), 0);
    return [
      s.number,
      s.customer,
      outcomes.length,
      ...named.map(count),
      outcomes.length - known,
      localIsoTime(s.first),
      localIsoTime(s.lastAt),
    ];
  });
  return toCsv([[...ORDER_SUMMARY_COLUMNS], ...rows]);
}
