import type { Database } from 'better-sqlite3';
import { ActionResult, DongleModel, OrderStatus, OrderType } from '../../shared/guardant/codes';
import {
  addCustomer,
  addProduct,
  setVendorAccount,
  type NewCustomer,
  type NewProduct,
} from '../store/catalog-writer';
import type { LicenseColumns } from '../store/rows';
import { newSerialString } from '../store/serial-numbers';

/**
 * The demo catalog a first `--seed demo` start loads: six customer companies, five products whose
 * features cover every licence kind the station has to handle, forty orders of both types and both
 * licence kinds in every status, nine keys already written (some writes failed), and a vendor account
 * with a generous balance.
 *
 * Everything is derived from indexes and `now` (no randomness) except the software serial strings,
 * which come from the CSPRNG like the server's own. On a fresh data directory the order numbers are
 * 1..DEMO_ORDER_COUNT in the order of the list below.
 */

const DAY = 86_400;
const HOUR = 3_600;

/** The vendor's public access code: every demo key carries it. */
export const DEMO_PUBLIC_CODE = 1368487351;

const CUSTOMERS: NewCustomer[] = [
  {
    companyname: 'Northwind Instruments GmbH',
    name: 'Anna',
    lastname: 'Keller',
    email: 'anna.keller@northwind-instruments.de',
    phone: '+49 89 5550 1201',
    description: 'Survey equipment reseller, Munich',
  },
  {
    companyname: 'Baltic Survey Systems UAB',
    name: 'Jonas',
    lastname: 'Petrauskas',
    email: 'j.petrauskas@balticsurvey.lt',
    phone: '+370 5 210 4477',
    description: 'Laboratory network, 4 sites',
  },
  {
    companyname: 'Meridian Medical Imaging Ltd',
    name: 'Laura',
    lastname: 'Chen',
    email: 'laura.chen@meridian-imaging.co.uk',
    phone: '+44 20 7946 0312',
    description: 'Rents viewer stations to clinics',
  },
  {
    companyname: 'Atlas CNC Tooling S.p.A.',
    name: 'Marco',
    lastname: 'Bianchi',
    email: 'm.bianchi@atlas-cnc.it',
    phone: '+39 02 8813 5560',
    description: 'OEM: ships CadPro with every machine',
  },
  {
    companyname: 'Polar Geodata Oy',
    name: 'Eero',
    lastname: 'Virtanen',
    email: 'eero.virtanen@polargeodata.fi',
    phone: '+358 9 4242 1880',
    description: '',
  },
  {
    companyname: 'Sunridge Audio Labs Inc.',
    name: 'Priya',
    lastname: 'Raman',
    email: 'priya@sunridge-audio.com',
    phone: '+1 503 555 0148',
    description: 'Mastering studios, render farm',
  },
];

type ProductKey = 'geo' | 'cad' | 'lab' | 'scan' | 'audio';

/** A feature's public key as Guardant prints it: 40 hex bytes, here derived from the numbers. */
function pubkey(productnumber: number, featurenumber: number): string {
  const bytes: string[] = [];
  for (let k = 0; k < 40; k++) {
    const v = (productnumber * 31 + featurenumber * 97 + k * 53 + ((k * k) % 7) * 19) & 0xff;
    bytes.push(v.toString(16).toUpperCase().padStart(2, '0'));
  }
  return bytes.join(' ');
}

const b64 = (text: string) => Buffer.from(text, 'base64');
/** Text zero-padded to a fixed size, as a string parameter sits in key memory. */
const padded = (text: string, size: number) => {
  const data = Buffer.alloc(size);
  data.write(text, 'latin1');
  return data;
};

const BINDING_KEYS = ['CPU', 'DVD', 'HDD', 'MAC', 'MOTHERBOARD', 'OS'] as const;
/** A complete binding map as the vendor prints it: the named components bound, nothing replaceable. */
function binding(...bound: (typeof BINDING_KEYS)[number][]): Record<string, boolean> {
  const map: Record<string, boolean> = {};
  for (const key of BINDING_KEYS) {
    map[`CAN_REPLACE_${key}`] = false;
    map[key] = bound.includes(key);
  }
  return map;
}

function products(now: number): Record<ProductKey, NewProduct> {
  const today = now - (now % DAY);
  const withKeys = (p: NewProduct): NewProduct => ({
    ...p,
    features: p.features.map((f) => ({ pubkey: pubkey(p.productnumber, f.featurenumber), ...f })),
  });
  return {
    geo: withKeys({
      productnumber: 12350,
      name: 'GeoSurvey Field',
      description: 'Field survey and stake-out',
      binding: binding('CPU', 'HDD', 'MAC', 'MOTHERBOARD'),
      features: [
        { featurenumber: 1, name: 'Core survey', canexclude: false, canmodify: false },
        { featurenumber: 2, name: 'DXF export', description: 'AutoCAD exchange' },
        // Time-limited: orders for keys without a clock exclude it.
        { featurenumber: 3, name: 'Cloud sync', licensingmodel: 4, rentdayscount: 365 },
      ],
      memoryitems: [
        {
          name: 'site_profile',
          aliasid: 100,
          params: [
            {
              name: 'site_code',
              size: 4,
              datatype: 1,
              data: b64('AAAwOQ=='),
              description: 'numeric site id',
            },
            { name: 'region', size: 2, datatype: 1, editallowed: false, data: b64('AAE=') },
          ],
        },
      ],
    }),
    cad: withKeys({
      productnumber: 12351,
      name: 'CadPro Designer',
      description: 'Parametric CAD for machine builders',
      binding: binding('CPU', 'MOTHERBOARD'),
      features: [
        { featurenumber: 1, name: 'Modeler', canexclude: false },
        { featurenumber: 2, name: 'Photoreal renderer' },
        { featurenumber: 4, name: 'Python scripting', canmodify: false },
      ],
      memoryitems: [
        {
          name: 'branding',
          aliasid: 200,
          params: [
            {
              name: 'company',
              size: 32,
              data: padded('Keybench Demo', 32),
              description: 'splash screen text',
            },
            { name: 'build', size: 2, datatype: 1, editallowed: false, data: b64('AAc=') },
          ],
        },
      ],
    }),
    lab: withKeys({
      productnumber: 12360,
      name: 'LabTrack Server',
      description: 'Network-licensed laboratory tracking',
      binding: binding(),
      features: [
        { featurenumber: 1, name: 'Concurrent seats', isremote: true, netlicensescount: 10 },
        {
          featurenumber: 2,
          name: 'Remote console',
          isremote: true,
          netlicensescount: 5,
          canmodify: false,
          canexclude: false,
        },
        { featurenumber: 3, name: 'Audit trail' },
      ],
    }),
    scan: withKeys({
      productnumber: 12370,
      name: 'ScanView Rental',
      description: 'Medical image viewer, rented by period',
      binding: binding('HDD', 'MAC'),
      features: [
        {
          featurenumber: 1,
          name: 'Viewer',
          licensingmodel: 2,
          rentbegindate: today - 30 * DAY,
          rentenddate: today + 335 * DAY,
          canexclude: false,
          flags: 4,
        },
        {
          featurenumber: 2,
          name: 'DICOM export',
          licensingmodel: 4,
          rentdayscount: 90,
          canmodify: false,
        },
      ],
      memoryitems: [
        {
          name: 'rental',
          aliasid: 300,
          params: [
            { name: 'clinic_id', size: 8, data: padded('CLN-0000', 8) },
            { name: 'grace_days', size: 1, datatype: 1, editallowed: false, data: b64('Bw==') },
          ],
        },
      ],
    }),
    audio: withKeys({
      productnumber: 12380,
      name: 'Mastering Suite',
      description: 'Audio mastering with a network render farm',
      binding: binding('CPU'),
      features: [
        { featurenumber: 1, name: 'Engine', canexclude: false, canmodify: false },
        { featurenumber: 2, name: 'Plugin pack', licensingmodel: 4, rentdayscount: 30 },
        { featurenumber: 3, name: 'Render farm node', isremote: true, netlicensescount: 4 },
      ],
      memoryitems: [
        {
          name: 'activation',
          aliasid: 400,
          params: [
            { name: 'seat_label', size: 16, data: padded('STUDIO-A', 16) },
            { name: 'checksum', size: 4, datatype: 1, editallowed: false, data: b64('3q2+7w==') },
          ],
        },
      ],
    }),
  };
}

interface DemoLine {
  product: ProductKey;
  /** Feature numbers the order excludes (only features with canexclude). */
  exclude?: number[];
  /** Order-specific terms for features with canmodify. */
  terms?: Record<number, Partial<LicenseColumns>>;
  /** Order-specific memory contents ("item.param" → bytes), only for editable params. */
  params?: Record<string, Buffer>;
}

interface DemoOrder {
  tag?: DemoTag;
  type: OrderType;
  hardware: boolean;
  status: OrderStatus;
  /** Index into CUSTOMERS, or null for an order without a customer. */
  customer: number | null;
  quantity: number;
  activationlimit?: number;
  description: string;
  lines: DemoLine[];
  isdemo?: boolean;
  customerrequired?: boolean;
  canoverwritecontainer?: boolean;
  crmid?: string;
  /** Software Update: the first serial number of the tagged order. */
  updateSerialOf?: DemoTag;
  /** Hardware Update: the key it updates. */
  updateKey?: number;
}

export type DemoTag =
  | 'perpetual20'
  | 'timeLimited50'
  | 'network5'
  | 'bulk500'
  | 'timeAndNetwork10'
  | 'hardwareDraft'
  | 'keyUpdate'
  | 'keyUpdateDraft'
  | 'oldHardware'
  | 'oldSoftware';

/** Software history: varied customers, products, quantities and statuses, derived from the index. */
function softwareHistory(count: number): DemoOrder[] {
  const productSets: ProductKey[][] = [['cad'], ['geo'], ['lab'], ['cad', 'geo'], ['audio'], ['scan']];
  const quantities = [1, 3, 10, 2, 25, 5, 1, 50];
  const statuses: OrderStatus[] = [
    OrderStatus.Submitted,
    OrderStatus.Submitted,
    OrderStatus.Draft,
    OrderStatus.Submitted,
    OrderStatus.Archived,
    OrderStatus.Submitted,
    OrderStatus.Draft,
    OrderStatus.Revoked,
  ];
  const orders: DemoOrder[] = [];
  for (let i = 0; i < count; i++) {
    const set = productSets[i % productSets.length]!;
    const quantity = quantities[i % quantities.length]!;
    orders.push({
      type: OrderType.Sale,
      hardware: false,
      status: statuses[i % statuses.length]!,
      customer: i % 7 === 3 ? null : i % CUSTOMERS.length,
      quantity,
      activationlimit: 1 + (i % 3),
      description: `${set.map((p) => PRODUCT_TITLES[p]).join(' + ')}, ${quantity} ${quantity > 1 ? 'seats' : 'seat'}`,
      lines: set.map((product) => ({ product })),
      isdemo: i % 9 === 4,
      customerrequired: i % 4 === 1,
      crmid: i % 5 === 0 ? `CRM-${2400 + i}` : '',
    });
  }
  return orders;
}

const PRODUCT_TITLES: Record<ProductKey, string> = {
  geo: 'GeoSurvey',
  cad: 'CadPro',
  lab: 'LabTrack',
  scan: 'ScanView',
  audio: 'Mastering Suite',
};

/** The keys the demo server has met, with the writes already recorded against them. */
export interface DemoKey {
  dongleid: number;
  model: DongleModel;
  netresource: number;
  writes: { order: DemoTag; results: ActionResult[] }[];
}

const TYPE_FLAGS: Record<number, number> = { 2: 442, 3: 446, 4: 474, 5: 478 };

export const DEMO_KEYS: readonly DemoKey[] = [
  {
    dongleid: 991846791,
    model: DongleModel.SIGN,
    netresource: 0,
    writes: [{ order: 'perpetual20', results: [0] }],
  },
  {
    dongleid: 991846792,
    model: DongleModel.SIGN,
    netresource: 0,
    writes: [{ order: 'perpetual20', results: [ActionResult.DongleBurnFailed, ActionResult.Success] }],
  },
  {
    dongleid: 991846793,
    model: DongleModel.SIGN,
    netresource: 0,
    writes: [{ order: 'perpetual20', results: [ActionResult.DongleBurnFailed] }],
  },
  {
    dongleid: 991846801,
    model: DongleModel.TIME,
    netresource: 0,
    writes: [{ order: 'timeLimited50', results: [0] }],
  },
  {
    dongleid: 991846802,
    model: DongleModel.CODE_TIME,
    netresource: 0,
    writes: [{ order: 'timeLimited50', results: [0] }],
  },
  {
    dongleid: 991846811,
    model: DongleModel.CODE,
    netresource: 25,
    writes: [{ order: 'network5', results: [0] }],
  },
  {
    dongleid: 991846812,
    model: DongleModel.CODE_TIME,
    netresource: 50,
    writes: [{ order: 'network5', results: [0] }],
  },
  // Written long ago, then named by the submitted hardware Update order.
  {
    dongleid: 991846821,
    model: DongleModel.SIGN,
    netresource: 0,
    writes: [{ order: 'oldHardware', results: [0] }],
  },
  // The same key as the reference's -1359759134, above 2^31: named by the Update draft.
  {
    dongleid: 2935208162,
    model: DongleModel.SIGN,
    netresource: 0,
    writes: [{ order: 'oldHardware', results: [0] }],
  },
];

function demoOrders(): DemoOrder[] {
  const history = softwareHistory(28);
  const hw = (o: Omit<DemoOrder, 'type' | 'hardware'>): DemoOrder => ({
    type: OrderType.Sale,
    hardware: true,
    ...o,
  });
  return [
    // Oldest first: the order numbers follow the list.
    hw({
      tag: 'oldHardware',
      status: OrderStatus.Archived,
      customer: 0,
      quantity: 2,
      description: 'GeoSurvey field kits, first batch',
      lines: [{ product: 'geo', exclude: [3] }],
    }),
    ...history.slice(0, 8),
    { ...history[8]!, tag: 'oldSoftware', status: OrderStatus.Submitted },
    hw({
      status: OrderStatus.Revoked,
      customer: 4,
      quantity: 10,
      description: 'Cancelled: customer switched to software licences',
      lines: [{ product: 'geo', exclude: [2, 3] }],
    }),
    ...history.slice(9, 18),
    {
      type: OrderType.Update,
      hardware: false,
      status: OrderStatus.Submitted,
      customer: null,
      quantity: 1,
      description: 'Extend the seat to include the renderer',
      updateSerialOf: 'oldSoftware',
      lines: [{ product: 'cad' }],
    },
    {
      type: OrderType.Update,
      hardware: false,
      status: OrderStatus.Draft,
      customer: null,
      quantity: 1,
      description: 'Prolong cloud sync for another year',
      updateSerialOf: 'oldSoftware',
      lines: [{ product: 'geo', terms: { 3: { rentdayscount: 730 } } }],
    },
    ...history.slice(18),
    hw({
      tag: 'bulk500',
      status: OrderStatus.Submitted,
      customer: 3,
      quantity: 500,
      activationlimit: 1,
      description: 'CadPro OEM keys for the 2025 machine series',
      crmid: 'CRM-OEM-0500',
      lines: [{ product: 'cad', params: { 'branding.company': padded('Atlas CNC Tooling', 32) } }],
    }),
    hw({
      tag: 'perpetual20',
      status: OrderStatus.Submitted,
      customer: 0,
      quantity: 20,
      description: 'CadPro + GeoSurvey, perpetual (cloud sync left out)',
      lines: [
        { product: 'cad' },
        { product: 'geo', exclude: [3], params: { 'site_profile.site_code': b64('AAEJMg==') } },
      ],
    }),
    hw({
      tag: 'timeLimited50',
      status: OrderStatus.Submitted,
      customer: 2,
      quantity: 50,
      description: 'ScanView rental keys, 12 months (needs Time keys)',
      lines: [{ product: 'scan', params: { 'rental.clinic_id': padded('MMI-LON1', 8) } }],
    }),
    hw({
      tag: 'network5',
      status: OrderStatus.Submitted,
      customer: 1,
      quantity: 5,
      description: 'LabTrack server keys, 15 network seats (needs network resource)',
      lines: [{ product: 'lab' }],
    }),
    hw({
      tag: 'timeAndNetwork10',
      status: OrderStatus.Submitted,
      customer: 5,
      quantity: 10,
      description: 'Mastering Suite studio keys: plugin rental and render farm',
      lines: [{ product: 'audio', terms: { 3: { netlicensescount: 8 } } }],
    }),
    {
      tag: 'keyUpdate',
      type: OrderType.Update,
      hardware: true,
      status: OrderStatus.Submitted,
      customer: 0,
      quantity: 1,
      description: 'Add DXF export to a field kit',
      updateKey: 991846821,
      lines: [{ product: 'geo', exclude: [3] }],
    },
    hw({
      tag: 'hardwareDraft',
      status: OrderStatus.Draft,
      customer: 4,
      quantity: 20,
      description: 'GeoSurvey with cloud sync, still being configured',
      lines: [{ product: 'geo' }],
    }),
    {
      tag: 'keyUpdateDraft',
      type: OrderType.Update,
      hardware: true,
      status: OrderStatus.Draft,
      customer: 0,
      quantity: 1,
      description: 'Move a field kit to CadPro',
      updateKey: 2935208162,
      lines: [{ product: 'cad' }],
    },
  ];
}

const ORDERS = demoOrders();
export const DEMO_ORDER_COUNT = ORDERS.length;

/** Numbers of the demo's tagged orders on a fresh data directory. */
export const DEMO_ORDER_NUMBERS = Object.fromEntries(
  ORDERS.flatMap((o, i) => (o.tag ? [[o.tag, i + 1]] : [])),
) as Record<DemoTag, number>;

/** The vendor's account after the demo writes. */
export const DEMO_BALANCE = { activations: 250_000, netlicenses: 50_000 };

/** Loads the demo catalog on first start: only when there are no customers, products or orders. */
export function seedDemoIfEmpty(db: Database, now: number): boolean {
  return db.transaction(() => {
    const used = db
      .prepare<[], { n: number }>(
        `SELECT (SELECT COUNT(*) FROM customers) + (SELECT COUNT(*) FROM products)
              + (SELECT COUNT(*) FROM orders) AS n`,
      )
      .get()!.n;
    if (used > 0) return false;
    seed(db, now);
    return true;
  })();
}

interface FeatureRow extends LicenseColumns {
  _id: number;
  featurenumber: number;
  canexclude: number;
  canmodify: number;
}

function seed(db: Database, now: number): void {
  const customerIds = CUSTOMERS.map((c) => addCustomer(db, c));
  const productIds = {} as Record<ProductKey, number>;
  for (const [key, product] of Object.entries(products(now)) as [ProductKey, NewProduct][]) {
    productIds[key] = addProduct(db, product)._id;
  }

  const featuresOf = db.prepare<[number], FeatureRow>(
    'SELECT * FROM features WHERE product_id = ? ORDER BY _id',
  );
  const paramsOf = db.prepare<
    [number],
    { _id: number; key: string; editallowed: number; size: number; data: Buffer }
  >(
    `SELECT p._id, m.name || '.' || p.name AS key, p.editallowed, p.size, p.data
       FROM memory_params p JOIN memory_items m ON m._id = p.memoryitem_id
      WHERE m.product_id = ? ORDER BY p._id`,
  );
  const nextNumber = db.prepare<[], { value: number }>(
    "UPDATE counters SET value = value + 1 WHERE name = 'order_number' RETURNING value",
  );
  const insertOrder = db.prepare(
    `INSERT INTO orders (number, type, status, ishardwarelicense, customer_id, date, submitdate,
       activationbirthdate, activationdeathdate, activationlimit, canoverwritecontainer, isdemo,
       customerrequired, description, quantity, crmid, refid, archivationdate, update_serial, update_dongleid)
     VALUES (@number, @type, @status, @ishardwarelicense, @customer_id, @date, @submitdate,
       @activationbirthdate, @activationdeathdate, @activationlimit, @canoverwritecontainer, @isdemo,
       @customerrequired, @description, @quantity, @crmid, @refid, @archivationdate, @update_serial,
       @update_dongleid)`,
  );
  const insertOrderProduct = db.prepare('INSERT INTO order_products (order_id, product_id) VALUES (?, ?)');
  const insertOrderFeature = db.prepare(
    `INSERT INTO order_features (order_id, product_id, feature_id, isexcluded, consumptionmode, flags,
       isremote, licensingmodel, netlicensescount, rentbegindate, rentdayscount, rentenddate, runcounter)
     VALUES (@order_id, @product_id, @feature_id, @isexcluded, @consumptionmode, @flags, @isremote,
       @licensingmodel, @netlicensescount, @rentbegindate, @rentdayscount, @rentenddate, @runcounter)`,
  );
  const insertOrderParam = db.prepare(
    'INSERT INTO order_params (order_id, product_id, param_id, data) VALUES (?, ?, ?, ?)',
  );
  const insertSerial = db.prepare(
    `INSERT OR IGNORE INTO serial_numbers (order_id, serialstring, activationlimit, activationcount)
     VALUES (?, ?, ?, ?)`,
  );
  const firstSerial = db.prepare<[number], { serialstring: string; customer_id: number | null }>(
    `SELECT s.serialstring, o.customer_id FROM serial_numbers s JOIN orders o ON o._id = s.order_id
      WHERE s.order_id = ? ORDER BY s._id LIMIT 1`,
  );

  const insertKey = db.prepare(
    `INSERT INTO dongles (dongleid, model, publiccode, typeflags, netresource, drivertype)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  DEMO_KEYS.forEach((k, i) =>
    insertKey.run(
      k.dongleid,
      k.model,
      DEMO_PUBLIC_CODE,
      TYPE_FLAGS[k.model] ?? 0,
      k.netresource,
      i === 2 ? 2 : 1,
    ),
  );

  const orderIds = {} as Record<DemoTag, number>;
  const submitDates = {} as Record<DemoTag, number>;
  // Oldest order 40 × 18 h ago, the newest 18 h ago: room after each for its writes.
  const span = 18 * HOUR;
  ORDERS.forEach((o, i) => {
    const number = nextNumber.get()!.value;
    const date = now - (ORDERS.length - i) * span - ((i * 37) % 60) * 60;
    const submitted = o.status !== OrderStatus.Draft;
    const submitdate = submitted ? date + (1 + (i % 4)) * HOUR : 0;
    let customerId = o.customer === null ? null : customerIds[o.customer]!;
    let updateSerial: string | null = null;
    if (o.updateSerialOf) {
      const serial = firstSerial.get(orderIds[o.updateSerialOf])!;
      updateSerial = serial.serialstring;
      customerId ??= serial.customer_id;
    }
    const orderId = Number(
      insertOrder.run({
        number,
        type: o.type,
        status: o.status,
        ishardwarelicense: o.hardware ? 1 : 0,
        customer_id: customerId,
        date,
        submitdate,
        activationbirthdate: o.hardware ? 0 : date,
        activationdeathdate: o.hardware || i % 3 ? 0 : date + 365 * DAY,
        activationlimit: o.type === OrderType.Update ? 1 : (o.activationlimit ?? 1),
        canoverwritecontainer: (o.canoverwritecontainer ?? o.type === OrderType.Update) ? 1 : 0,
        isdemo: o.isdemo ? 1 : 0,
        customerrequired: o.customerrequired ? 1 : 0,
        description: o.description,
        quantity: o.type === OrderType.Update ? 1 : o.quantity,
        crmid: o.crmid ?? '',
        refid: o.crmid ? `REF-${number}` : '',
        archivationdate: o.status === OrderStatus.Archived ? Math.min(now - HOUR, submitdate + 14 * DAY) : 0,
        update_serial: updateSerial,
        update_dongleid: o.updateKey ?? null,
      }).lastInsertRowid,
    );
    if (o.tag) {
      orderIds[o.tag] = orderId;
      submitDates[o.tag] = submitdate;
    }

    for (const line of o.lines) {
      const productId = productIds[line.product];
      insertOrderProduct.run(orderId, productId);
      for (const f of featuresOf.all(productId)) {
        const excluded = line.exclude?.includes(f.featurenumber) ?? false;
        if (excluded && !f.canexclude)
          throw new Error(`demo seed: feature ${f.featurenumber} cannot be excluded`);
        const terms = line.terms?.[f.featurenumber];
        if (terms && !f.canmodify)
          throw new Error(`demo seed: feature ${f.featurenumber} cannot be modified`);
        insertOrderFeature.run({
          order_id: orderId,
          product_id: productId,
          feature_id: f._id,
          isexcluded: excluded ? 1 : 0,
          consumptionmode: f.consumptionmode,
          flags: f.flags,
          isremote: f.isremote,
          licensingmodel: f.licensingmodel,
          netlicensescount: f.netlicensescount,
          rentbegindate: f.rentbegindate,
          rentdayscount: f.rentdayscount,
          rentenddate: f.rentenddate,
          runcounter: f.runcounter,
          ...terms,
        });
      }
      for (const p of paramsOf.all(productId)) {
        const data = line.params?.[p.key];
        if (data && (!p.editallowed || data.length !== p.size))
          throw new Error(`demo seed: ${p.key} is not editable or ${data.length} ≠ ${p.size}`);
        insertOrderParam.run(orderId, productId, p._id, data ?? p.data);
      }
    }

    if (o.type === OrderType.Sale && !o.hardware && submitted) {
      let issued = 0;
      while (issued < o.quantity) {
        const activations = (issued + i) % 3 === 0 ? Math.min(1, o.activationlimit ?? 1) : 0;
        issued += insertSerial.run(orderId, newSerialString(), o.activationlimit ?? 1, activations).changes;
      }
    }
  });

  // The keys' past: the order holds the key, then one ledger row per write attempt.
  const insertOrderDongle = db.prepare(
    'INSERT INTO order_dongles (order_id, dongleid, added_at) VALUES (?, ?, ?)',
  );
  const insertBurn = db.prepare(
    `INSERT INTO burns (order_id, dongleid, action, actiondate, actionresult, activationsconsumed,
       activationscountcurrent, netlicensesconsumed, netlicensesremains)
     VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)`,
  );
  const netNeeds = db.prepare<[number], { n: number }>(
    'SELECT COALESCE(SUM(netlicensescount), 0) AS n FROM order_features WHERE order_id = ? AND isexcluded = 0',
  );
  const successes = DEMO_KEYS.flatMap((k) =>
    k.writes.flatMap((w) => w.results.filter((r) => r === 0)),
  ).length;
  let activations = DEMO_BALANCE.activations + successes;
  let netlicenses =
    DEMO_BALANCE.netlicenses +
    DEMO_KEYS.reduce(
      (sum, k) =>
        sum +
        k.writes.reduce(
          (s, w) => s + w.results.filter((r) => r === 0).length * netNeeds.get(orderIds[w.order])!.n,
          0,
        ),
      0,
    );
  // Writes in time order: each order's keys one after another, ten minutes apart.
  const writes = DEMO_KEYS.flatMap((k) => k.writes.map((w) => ({ key: k, ...w })));
  writes.sort((a, b) => submitDates[a.order] - submitDates[b.order]);
  writes.forEach((w, i) => {
    const orderId = orderIds[w.order];
    let at = submitDates[w.order] + (i + 1) * 600;
    insertOrderDongle.run(orderId, w.key.dongleid, at);
    const net = netNeeds.get(orderId)!.n;
    for (const result of w.results) {
      at += 90;
      const ok = result === ActionResult.Success;
      if (ok) {
        activations -= 1;
        netlicenses -= net;
      }
      insertBurn.run(orderId, w.key.dongleid, at, result, ok ? 1 : 0, activations, ok ? net : 0, netlicenses);
    }
  });
  // A submitted hardware Update order holds its key from the moment it was submitted.
  for (const tag of ['keyUpdate'] as const) {
    const o = ORDERS.find((x) => x.tag === tag)!;
    insertOrderDongle.run(orderIds[tag], o.updateKey!, submitDates[tag]);
  }

  setVendorAccount(db, DEMO_BALANCE);
}
