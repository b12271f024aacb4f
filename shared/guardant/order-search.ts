import type { Customer, Order } from './responses';

/**
 * The orders search (`q`, a Keybench extension of GET /v1.0/orders), read the same way by the
 * reference server, by the station's offline cache and by the station when a server ignores `q`.
 *
 * The text is cut into words at spaces, brackets and commas, so what the station shows can be pasted
 * back: "Acme GmbH (Ada Lovelace)", "Ada Lovelace" and "#33" all find their order. An order matches
 * when it has every "#NN" number exactly (what a scanner or a colleague's note says) and its other
 * words are either all part of its number ("33") or all part of its customer's company, first or last
 * name ("Ada Lovelace", in any order and case). So "Customer 49" is that customer, not also every
 * order whose number holds 49.
 * `%`, `_` and `\` are dropped (they would be LIKE wildcards); words left empty are ignored.
 */
export interface OrderSearch {
  /** Order numbers the order must have ("#33"). */
  numbers: number[];
  /** Lower-case parts, each of the number or of a customer name. */
  words: string[];
}

/** The longest search text the server and the station take. */
export const MAX_ORDER_SEARCH_LENGTH = 100;

/** Beyond this many words the rest are ignored: a bounded number of SQL shapes, each prepared once. */
export const MAX_SEARCH_WORDS = 8;

export function parseOrderSearch(q: string | undefined): OrderSearch {
  const search: OrderSearch = { numbers: [], words: [] };
  const tokens = (q ?? '')
    .split(/[\s(),;[\]]+/)
    .map((t) => t.replace(/[%_\\]/g, ''))
    .filter(Boolean);
  for (const token of tokens.slice(0, MAX_SEARCH_WORDS)) {
    const exact = /^#(\d{1,10})$/.exec(token);
    if (exact) search.numbers.push(Number(exact[1]));
    else {
      const word = token.replace(/^#/, '').toLowerCase();
      if (word) search.words.push(word);
    }
  }
  return search;
}

export const isEmptySearch = (s: OrderSearch) => s.numbers.length === 0 && s.words.length === 0;

const customerWords = (c: Customer | undefined) =>
  c
    ? [c.companyname, c.name, c.lastname].filter((v): v is string => Boolean(v)).map((v) => v.toLowerCase())
    : [];

/** The same reading in JavaScript: whether an order a server answered meets the search. */
export function orderMatchesSearch(order: Pick<Order, 'number' | 'customer'>, search: OrderSearch): boolean {
  if (search.numbers.some((n) => n !== order.number)) return false;
  const number = String(order.number);
  const names = customerWords(order.customer);
  return (
    search.words.every((w) => number.includes(w)) ||
    search.words.every((w) => names.some((name) => name.includes(w)))
  );
}
