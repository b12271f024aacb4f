/**
 * A list of SQL literals, `'a', 'b'` or `0, 10168`, for an `IN (…)` built from a constant of shared/:
 * the fact is stated once in TypeScript and SQL reads the same values. A literal list (not a bound
 * parameter) so that SQLite can match a query against a partial index whose WHERE names the same list.
 * Numbers stay numbers: in SQLite the text '0' is not the integer 0 (a JSON number read by json_each is
 * an integer), so quoting them would make every comparison false.
 */
export function sqlList(values: readonly (string | number)[]): string {
  return values.map(sqlLiteral).join(', ');
}

function sqlLiteral(value: string | number): string {
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (!Number.isFinite(value)) throw new Error(`no SQL literal for ${value}`);
  return String(value);
}
