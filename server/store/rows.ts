import type {
  Customer,
  DefaultLicense,
  Dongle,
  LastBurn,
  License,
  Order,
} from '../../shared/guardant/responses';

/** Row shapes as SQLite returns them (booleans as 0/1), and their wire forms. */

export interface CustomerRow {
  _id: number;
  name: string;
  lastname: string;
  companyname: string;
  description: string;
  email: string;
  phone: string;
  status: number;
  crmid: string;
  refid: string;
}

export interface OrderRow {
  _id: number;
  number: number;
  type: number;
  status: number;
  ishardwarelicense: number;
  customer_id: number | null;
  date: number;
  submitdate: number;
  activationbirthdate: number;
  activationdeathdate: number;
  activationlimit: number;
  canoverwritecontainer: number;
  isdemo: number;
  customerrequired: number;
  description: string;
  quantity: number;
  crmid: string;
  refid: string;
  archivationdate: number;
  update_serial: string | null;
  update_dongleid: number | null;
}

export interface LicenseColumns {
  consumptionmode: number;
  flags: number;
  isremote: number;
  licensingmodel: number;
  netlicensescount: number;
  rentbegindate: number;
  rentdayscount: number;
  rentenddate: number;
  runcounter: number;
}

export interface DongleRow {
  dongleid: number;
  model: number;
  publiccode: number;
  typeflags: number;
  netresource: number;
  drivertype: number;
}

export interface BurnRow {
  _id: number;
  order_id: number;
  dongleid: number;
  action: number;
  actiondate: number;
  actionresult: number;
  activationsconsumed: number;
  activationscountcurrent: number;
  netlicensesconsumed: number;
  netlicensesremains: number;
  /** Keybench extension: the idempotency key the write was reported with, if any. */
  idempotency_key: string | null;
}

export function customerToWire(row: CustomerRow): Customer {
  return { ...row, archived: false, archivationdate: 0 };
}

export function orderToWire(row: OrderRow, customer?: CustomerRow): Order {
  const order: Order = {
    _id: row._id,
    number: row.number,
    type: row.type,
    status: row.status,
    ishardwarelicense: row.ishardwarelicense === 1,
    date: row.date,
    submitdate: row.submitdate,
    activationbirthdate: row.activationbirthdate,
    activationdeathdate: row.activationdeathdate,
    activationlimit: row.activationlimit,
    canoverwritecontainer: row.canoverwritecontainer === 1,
    isdemo: row.isdemo === 1,
    customerrequired: row.customerrequired === 1,
    description: row.description,
    quantity: row.quantity,
    archived: row.status === 3,
    archivationdate: row.archivationdate,
    crmid: row.crmid,
    refid: row.refid,
  };
  if (customer) order.customer = customerToWire(customer);
  if (row.update_serial !== null) order.serialnumber = row.update_serial;
  if (row.update_dongleid !== null) order.dongleid = row.update_dongleid;
  return order;
}

export function licenseToWire(row: LicenseColumns): License {
  return {
    consumptionmode: row.consumptionmode,
    flags: row.flags,
    isremote: row.isremote === 1,
    licensingmodel: row.licensingmodel,
    netlicensescount: row.netlicensescount,
    rentbegindate: row.rentbegindate,
    rentdayscount: row.rentdayscount,
    rentenddate: row.rentenddate,
    runcounter: row.runcounter,
  };
}

export function defaultLicenseToWire(
  row: LicenseColumns & { canexclude: number; canmodify: number },
): DefaultLicense {
  return { ...licenseToWire(row), canexclude: row.canexclude === 1, canmodify: row.canmodify === 1 };
}

export function dongleToWire(row: DongleRow, withDriverType = false): Dongle {
  const dongle: Dongle = {
    dongleid: row.dongleid,
    model: row.model,
    netresource: row.netresource,
    publiccode: row.publiccode,
    typeflags: row.typeflags,
  };
  if (withDriverType) dongle.drivertype = row.drivertype;
  return dongle;
}

export function burnToWire(row: BurnRow): LastBurn {
  return {
    _id: row._id,
    action: row.action,
    actiondate: row.actiondate,
    actionresult: row.actionresult,
    activationsconsumed: row.activationsconsumed,
    activationscountcurrent: row.activationscountcurrent,
    netlicensesconsumed: row.netlicensesconsumed,
    netlicensesremains: row.netlicensesremains,
  };
}

/** A licence is time-limited when it carries rent dates or rent days: only TIME keys can hold it. */
export function isTimeLimited(l: LicenseColumns): boolean {
  return l.rentbegindate > 0 || l.rentenddate > 0 || l.rentdayscount > 0;
}
