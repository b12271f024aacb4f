import type { Database } from 'better-sqlite3';

/**
 * The vendor's catalog (customers, products, features, memory) is maintained outside the order API,
 * so the reference server fills it from seeds: the demo catalog, and the catalogs tests build.
 */

export interface NewCustomer {
  name: string;
  lastname?: string;
  companyname?: string;
  email?: string;
  phone?: string;
  description?: string;
}

export interface NewLicense {
  canexclude?: boolean;
  canmodify?: boolean;
  licensingmodel?: number;
  consumptionmode?: number;
  flags?: number;
  isremote?: boolean;
  netlicensescount?: number;
  rentbegindate?: number;
  rentenddate?: number;
  rentdayscount?: number;
  runcounter?: number;
}

export interface NewFeature extends NewLicense {
  featurenumber: number;
  name: string;
  description?: string;
  pubkey?: string;
}

export interface NewParam {
  name: string;
  description?: string;
  size: number;
  offset?: number;
  datatype?: number;
  editallowed?: boolean;
  /** Default content; zero-filled to `size` when absent. */
  data?: Buffer;
}

export interface NewMemoryItem {
  name: string;
  description?: string;
  aliasid?: number;
  params: NewParam[];
}

export interface NewProduct {
  productnumber: number;
  name: string;
  description?: string;
  binding?: Record<string, boolean>;
  features: NewFeature[];
  memoryitems?: NewMemoryItem[];
}

export interface CreatedProduct {
  _id: number;
  features: Record<number, number>;
  params: Record<string, number>;
}

const bit = (v: boolean | undefined, fallback: boolean) => ((v ?? fallback) ? 1 : 0);

export function addCustomer(db: Database, c: NewCustomer): number {
  const r = db
    .prepare(
      `INSERT INTO customers (name, lastname, companyname, email, phone, description)
       VALUES (@name, @lastname, @companyname, @email, @phone, @description)`,
    )
    .run({ lastname: '', companyname: '', email: '', phone: '', description: '', ...c });
  return Number(r.lastInsertRowid);
}

/** Inserts a product with its features and memory; returns the ids, features keyed by number. */
export function addProduct(db: Database, p: NewProduct): CreatedProduct {
  return db.transaction(() => {
    const productId = Number(
      db
        .prepare('INSERT INTO products (productnumber, name, description, binding) VALUES (?, ?, ?, ?)')
        .run(p.productnumber, p.name, p.description ?? '', JSON.stringify(p.binding ?? {})).lastInsertRowid,
    );
    const features: Record<number, number> = {};
    const insertFeature = db.prepare(
      `INSERT INTO features (product_id, featurenumber, name, description, pubkey, canexclude, canmodify,
         consumptionmode, flags, isremote, licensingmodel, netlicensescount, rentbegindate, rentdayscount,
         rentenddate, runcounter)
       VALUES (@product_id, @featurenumber, @name, @description, @pubkey, @canexclude, @canmodify,
         @consumptionmode, @flags, @isremote, @licensingmodel, @netlicensescount, @rentbegindate,
         @rentdayscount, @rentenddate, @runcounter)`,
    );
    for (const f of p.features) {
      features[f.featurenumber] = Number(
        insertFeature.run({
          product_id: productId,
          featurenumber: f.featurenumber,
          name: f.name,
          description: f.description ?? '',
          pubkey: f.pubkey ?? '',
          canexclude: bit(f.canexclude, true),
          canmodify: bit(f.canmodify, true),
          consumptionmode: f.consumptionmode ?? 0,
          flags: f.flags ?? 0,
          isremote: bit(f.isremote, false),
          licensingmodel: f.licensingmodel ?? 1,
          netlicensescount: f.netlicensescount ?? 0,
          rentbegindate: f.rentbegindate ?? 0,
          rentdayscount: f.rentdayscount ?? 0,
          rentenddate: f.rentenddate ?? 0,
          runcounter: f.runcounter ?? 0,
        }).lastInsertRowid,
      );
    }
    const params: Record<string, number> = {};
    for (const m of p.memoryitems ?? []) {
      const itemId = Number(
        db
          .prepare(
            'INSERT INTO memory_items (product_id, name, description, aliasid, size) VALUES (?, ?, ?, ?, ?)',
          )
          .run(
            productId,
            m.name,
            m.description ?? '',
            m.aliasid ?? 0,
            m.params.reduce((s, x) => s + x.size, 0),
          ).lastInsertRowid,
      );
      let offset = 0;
      for (const param of m.params) {
        params[`${m.name}.${param.name}`] = Number(
          db
            .prepare(
              `INSERT INTO memory_params (memoryitem_id, name, description, datatype, editallowed, offset, size, data)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              itemId,
              param.name,
              param.description ?? '',
              param.datatype ?? 0,
              bit(param.editallowed, true),
              param.offset ?? offset,
              param.size,
              param.data ?? Buffer.alloc(param.size),
            ).lastInsertRowid,
        );
        offset = (param.offset ?? offset) + param.size;
      }
    }
    return { _id: productId, features, params };
  })();
}

/** Sets the vendor's writing balance (activations and network licences left) and subscription end. */
export function setVendorAccount(
  db: Database,
  account: { activations?: number; netlicenses?: number; subscriptionUntil?: number },
): void {
  db.prepare(
    `UPDATE vendor SET activations_remaining = COALESCE(?, activations_remaining),
       netlicenses_remaining = COALESCE(?, netlicenses_remaining),
       subscription_until = COALESCE(?, subscription_until) WHERE id = 1`,
  ).run(account.activations ?? null, account.netlicenses ?? null, account.subscriptionUntil ?? null);
}
