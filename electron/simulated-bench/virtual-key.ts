import { DongleModel, DriverType } from '../../shared/guardant/codes';
import type { LmLicence, SpoiledWrite } from '../../shared/license-manager/schemas';
import { GUARDANT_VENDOR_ID, usualProductId } from '../../shared/guardant/usb-ids';
import { licenceDigest } from '../core/verification/licence-digest';

/** A simulated Guardant key: what the license manager would read from it, and how USB sees it. */
export interface VirtualKey {
  dongleId: number;
  model: number;
  publicCode: number;
  typeFlags: number;
  netResource: number;
  driverType: number;
  vendorId: number;
  productId: number;
  serialNumber: string;
}

/** The vendor's public code from the reference's samples; one vendor, one code on all its keys. */
export const SAMPLE_PUBLIC_CODE = 1368487351;

/** When no model is asked for, keys come in this rotation, so every model is on the bench. */
export const modelRotation = [DongleModel.SIGN, DongleModel.TIME, DongleModel.CODE, DongleModel.CODE_TIME];

/**
 * Type fields by model: 0 and 442 appear in the vendor's samples; the others are made up. The bench
 * does not model what the bits mean, only that keys of different models differ.
 */
const typeFlagsByModel: Record<number, number> = {
  [DongleModel.SIGN]: 0,
  [DongleModel.TIME]: 16,
  [DongleModel.CODE]: 442,
  [DongleModel.CODE_TIME]: 458,
};

/** Code-family keys enumerate as Code keys (0x0009), the rest as Sign/Time keys (0x0008). */
function productIdOf(model: number): number {
  return usualProductId(model === DongleModel.CODE || model === DongleModel.CODE_TIME ? 'code' : 'sign-time');
}

/** murmur3's finaliser: a bijection on 32 bits, so distinct counters give distinct, id-looking ids. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const networkResources = [5, 10, 50];

export interface KeyRequest {
  model?: number;
  netResource?: number;
}

/** Makes keys deterministically from a seed: the same seed gives the same keys in the same order. */
export class VirtualKeyFactory {
  private made: number;
  private readonly issued: Set<number>;

  constructor(
    private readonly seed: number,
    private readonly publicCode = SAMPLE_PUBLIC_CODE,
    /** Where a bench restarted on its saved state continues: keys made before, and their ids. */
    resume: { made: number; issued: Iterable<number> } = { made: 0, issued: [] },
  ) {
    this.made = resume.made;
    this.issued = new Set(resume.issued);
  }

  /** How many keys this factory (and the ones it resumes) has made. */
  get count(): number {
    return this.made;
  }

  next(request: KeyRequest = {}): VirtualKey {
    const n = this.made++;
    let dongleId: number;
    let salt = 0;
    do {
      dongleId = mix32(Math.imul(this.seed + salt++, 0x9e3779b9) + n);
    } while (dongleId === 0 || this.issued.has(dongleId));
    this.issued.add(dongleId);

    const model = request.model ?? modelRotation[n % modelRotation.length]!;
    // Every third key carries a network resource, so network orders have keys to go to.
    const netResource = request.netResource ?? (n % 3 === 2 ? networkResources[Math.floor(n / 3) % 3]! : 0);
    return {
      dongleId,
      model,
      publicCode: this.publicCode,
      typeFlags: typeFlagsByModel[model] ?? 0,
      netResource,
      driverType: DriverType.WinUsb,
      vendorId: GUARDANT_VENDOR_ID,
      productId: productIdOf(model),
      serialNumber: dongleId.toString(16).toUpperCase().padStart(8, '0'),
    };
  }
}

/**
 * What a spoiled write leaves in a key instead of the licence it was meant to burn (the write still
 * reports success): nothing, what the key held before, the licence without its last feature, or the
 * licence with its first feature's run counter and network licences changed. The digest is the
 * digest of what the key then holds, as a license manager reading it back would compute it.
 */
export function spoilLicence(
  how: SpoiledWrite,
  intended: LmLicence,
  previous: LmLicence | null,
): LmLicence | null {
  switch (how) {
    case 'blank':
      return null;
    case 'previous':
      return previous;
    case 'drop-feature': {
      const products = structuredClone(intended.products);
      const last = products.findLast((p) => p.features.length > 0);
      if (last) last.features.pop();
      else products.pop();
      return { ...intended, products, digest: licenceDigest(products) };
    }
    case 'alter-terms': {
      const products = structuredClone(intended.products);
      const first = products.find((p) => p.features.length > 0)?.features[0];
      if (first) {
        first.terms.runCounter += 1;
        first.terms.netLicensesCount += 1;
      }
      return { ...intended, products, digest: licenceDigest(products) };
    }
  }
}
