import type { Feature, License, MemoryItem, Param, Product } from '../../shared/guardant/responses';
import { defaultLicenseToWire, licenseToWire, type LicenseColumns } from './rows';

/**
 * Catalog rows (products, features, memory) as SQLite returns them, and their wire forms. The catalog
 * keeps no archive, so `archived`/`archivationdate` are always false/0 on the wire; the station reads
 * them, so they are sent like the reference's samples send them.
 */

export interface ProductRow {
  _id: number;
  productnumber: number;
  name: string;
  description: string;
  status: number;
  flags: number;
  licensetype: number;
  modification: number;
  accesscode_id: number;
  binding: string;
  binding_scheme: number;
  binding_maxhardwarechangenumber: number;
  hardwarebindingscheme: number;
  crmid: string;
  refid: string;
}

export interface FeatureRow extends LicenseColumns {
  _id: number;
  product_id: number;
  featurenumber: number;
  name: string;
  description: string;
  pubkey: string;
  crmid: string;
  refid: string;
  canexclude: number;
  canmodify: number;
}

export interface MemoryItemRow {
  _id: number;
  product_id: number;
  name: string;
  description: string;
  aliasid: number;
  accesstype: number;
  action: number;
  maxaccesserrors: number;
  readpassword: number;
  writepassword: number;
  size: number;
  crmid: string;
  refid: string;
}

export interface ParamRow {
  _id: number;
  memoryitem_id: number;
  name: string;
  description: string;
  datatype: number;
  editallowed: number;
  offset: number;
  size: number;
  data: Buffer;
}

/** An order's terms for one feature: the licence columns plus whether it is left out of the key. */
export interface OrderLicenseRow extends LicenseColumns {
  isexcluded: number;
}

export const LICENSE_COLUMNS = [
  'consumptionmode',
  'flags',
  'isremote',
  'licensingmodel',
  'netlicensescount',
  'rentbegindate',
  'rentdayscount',
  'rentenddate',
  'runcounter',
] as const satisfies readonly (keyof LicenseColumns)[];

/** Just the licence columns of a wider row (a feature, an order_features row), with an exclusion flag. */
export function orderLicense(row: LicenseColumns, isexcluded: number): OrderLicenseRow {
  const license = { isexcluded } as OrderLicenseRow;
  for (const column of LICENSE_COLUMNS) license[column] = row[column];
  return license;
}

export function orderLicenseToWire(row: OrderLicenseRow): License {
  return { ...licenseToWire(row), isExcluded: row.isexcluded };
}

/** Binding is stored as JSON text; a damaged value must not break the whole catalog answer. */
function parseBinding(text: string): Record<string, boolean> {
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value).filter((entry): entry is [string, boolean] => typeof entry[1] === 'boolean'),
    );
  } catch {
    return {};
  }
}

/** Keys in the order of the reference's GET features sample; `license` only when an order is read. */
export function featureToWire(row: FeatureRow, license?: OrderLicenseRow): Feature {
  return {
    _id: row._id,
    archivationdate: 0,
    archived: false,
    crmid: row.crmid,
    defaultLicense: defaultLicenseToWire(row),
    description: row.description,
    featurenumber: row.featurenumber,
    pubkey: row.pubkey,
    ...(license ? { license: orderLicenseToWire(license) } : {}),
    name: row.name,
    refid: row.refid,
  };
}

export function paramToWire(row: ParamRow, data: Buffer = row.data): Param {
  return {
    _id: row._id,
    data: data.toString('base64'),
    datatype: row.datatype,
    description: row.description,
    editallowed: row.editallowed === 1,
    name: row.name,
    offset: row.offset,
    size: row.size,
  };
}

export function memoryItemToWire(row: MemoryItemRow, params: Param[]): MemoryItem {
  return {
    _id: row._id,
    accesstype: row.accesstype,
    action: row.action,
    aliasid: row.aliasid,
    archivationdate: 0,
    archived: false,
    crmid: row.crmid,
    description: row.description,
    draft: false,
    maxaccesserrors: row.maxaccesserrors,
    name: row.name,
    params,
    readpassword: row.readpassword,
    refid: row.refid,
    size: row.size,
    totalparams_size: params.reduce((sum, p) => sum + p.size, 0),
    writepassword: row.writepassword,
  };
}

export function productToWire(row: ProductRow, features: Feature[], memoryitems: MemoryItem[]): Product {
  return {
    _id: row._id,
    accesscode_id: row.accesscode_id,
    archivationdate: 0,
    archived: false,
    binding: parseBinding(row.binding),
    binding_maxhardwarechangenumber: row.binding_maxhardwarechangenumber,
    binding_scheme: row.binding_scheme,
    crmid: row.crmid,
    description: row.description,
    featuresWithLicenses: features,
    flags: row.flags,
    hardwarebindingscheme: row.hardwarebindingscheme,
    licensetype: row.licensetype,
    memoryitems,
    modification: row.modification,
    name: row.name,
    productnumber: row.productnumber,
    refid: row.refid,
    status: row.status,
  };
}
