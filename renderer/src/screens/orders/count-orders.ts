/**
 * How many rows a list holds when the API only pages it. One-row probes, `fanout` of them at a time:
 * doubling offsets find a row that does not exist, then each round splits the gap `fanout + 1` ways.
 * Ten rounds for 100,000 orders, so it is quick even when every answer is slow (offline, from cache).
 */
export async function countRows(exists: (offset: number) => Promise<boolean>, fanout = 12): Promise<number> {
  if (!(await exists(0))) return 0;
  let present = 0;
  let absent = -1;
  // Rows form a prefix: the probes answer yes, yes, …, no, no; the last yes and first no bound the count.
  const round = async (offsets: number[]) => {
    const found = await Promise.all(offsets.map(exists));
    for (let i = 0; i < offsets.length; i++) {
      if (found[i]) present = offsets[i]!;
      else {
        absent = offsets[i]!;
        return;
      }
    }
  };
  for (let start = 1; absent < 0; start *= 2 ** fanout) {
    await round(Array.from({ length: fanout }, (_, i) => start * 2 ** i));
  }
  while (absent - present > 1) {
    const gap = absent - present;
    const offsets = new Set<number>();
    for (let i = 1; i <= fanout; i++)
      offsets.add(present + Math.max(1, Math.floor((gap * i) / (fanout + 1))));
    await round([...offsets].filter((o) => o < absent).sort((a, b) => a - b));
  }
  return absent;
}
