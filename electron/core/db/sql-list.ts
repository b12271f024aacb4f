/**
 * A list of SQL string literals, `'a', 'b'`, for an `IN (…)` built from a constant of shared/: the fact
 * is stated once in TypeScript and SQL reads the same values. A literal list (not a bound parameter) so
 * that SQLite can match a query against a partial index whose WHERE names the same list.
 */
export function sqlList(values: readonly (string | number)[]): string {
  return values.map((v) => `'${String(v).replaceAll("'", "''")}'`).join(', ');
}
