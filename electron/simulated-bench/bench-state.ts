import { randomInt } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { BOUNDS } from '../../shared/guardant/bounds';
import type { VirtualKey } from './virtual-key';

/** The file in a data folder where the simulated bench keeps its seed and the keys it has made. */
export const SIMULATED_BENCH_STATE_FILE = 'simulated-bench.json';

const u32 = z.number().int().min(0).max(0xffff_ffff);
const virtualKeySchema = z.object({
  dongleId: u32,
  model: z.number().int().min(0).max(255),
  publicCode: u32,
  typeFlags: u32,
  netResource: z.number().int().min(BOUNDS.netResource.min).max(BOUNDS.netResource.max),
  driverType: z.number().int().min(0).max(255),
  vendorId: z.number().int().min(0).max(0xffff),
  productId: z.number().int().min(0).max(0xffff),
  serialNumber: z.string().max(64),
});
const benchStateSchema = z.object({
  /** Drawn once per data folder, so two stations on one server do not make the same keys either. */
  seed: z.number().int().min(0).max(0x7fff_ffff),
  /** Keys made so far: the next key continues from here, so no id repeats after a restart. */
  made: z.number().int().min(0),
  keys: z.array(virtualKeySchema),
  /** Keys in the hub when the bench stopped: a hub keeps its keys while the station restarts. */
  plugged: z.array(u32).default([]),
});
export type BenchState = z.infer<typeof benchStateSchema>;

/**
 * The simulated bench's memory across restarts: without it every start made the same key ids again,
 * so a "new" key could be one the server had already written. The file is outside input: a damaged or
 * foreign one is set aside (renamed) and a fresh seed drawn, never a crash.
 */
export class BenchStateFile {
  readonly state: BenchState;
  /** Why a file that was there could not be used; null when it was read or there was none. */
  readonly problem: string | null = null;

  constructor(
    private readonly file: string,
    seed?: number,
  ) {
    let text: string | null = null;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // No file yet: a new bench.
    }
    const fresh = (): BenchState => ({
      seed: seed ?? randomInt(1, 0x7fff_ffff),
      made: 0,
      keys: [],
      plugged: [],
    });
    if (text === null) {
      this.state = fresh();
      return;
    }
    let parsed: z.ZodSafeParseResult<BenchState>;
    try {
      parsed = benchStateSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = { success: false } as z.ZodSafeParseResult<BenchState>;
    }
    if (parsed.success) {
      this.state = parsed.data;
      return;
    }
    this.problem = `${file} is not a simulated bench's state; kept as ${file}.damaged and started afresh`;
    try {
      renameSync(file, `${file}.damaged`);
    } catch {
      // Could not set it aside: it is overwritten at the next save.
    }
    this.state = fresh();
  }

  /** Write then rename, so a kill leaves the old or the new file, never half of one. */
  save(made: number, keys: Iterable<VirtualKey>, plugged: Iterable<number>): void {
    this.state.made = made;
    this.state.keys = [...keys];
    this.state.plugged = [...plugged];
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.state));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
