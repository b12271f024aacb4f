import type { Database } from 'better-sqlite3';

/** The catalog, orders, keys and the write ledger. Times are Unix seconds, as on the wire. */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE customers (
      _id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      lastname TEXT NOT NULL DEFAULT '',
      companyname TEXT NOT NULL DEFAULT '',
      description TEXT NOT NULL DEFAULT '',
      email TEXT NOT NULL DEFAULT '',
      phone TEXT NOT NULL DEFAULT '',
      status INTEGER NOT NULL DEFAULT 0,
      crmid TEXT NOT NULL DEFAULT '',
      refid TEXT NOT NULL DEFAULT ''
    );

    CREATE TABLE products (
      _id INTEGER PRIMARY KEY,
      productnumber INTEGER NOT NULL UNIQUE,
      name TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      status INTEGER NOT NULL DEFAULT 1,
      flags INTEGER NOT NULL DEFAULT 0,
      licensetype INTEGER NOT NULL DEFAULT 0,
      modification INTEGER NOT NULL DEFAULT 0,
      accesscode_id INTEGER NOT NULL DEFAULT -1,
      binding TEXT NOT NULL DEFAULT '{}',
      binding_scheme INTEGER NOT NULL DEFAULT 0,
      binding_maxhardwarechangenumber INTEGER NOT NULL DEFAULT 0,
      hardwarebindingscheme INTEGER NOT NULL DEFAULT 0,
      crmid TEXT NOT NULL DEFAULT '',
      refid TEXT NOT NULL DEFAULT ''
    );

    -- A feature's default licence; an order's own terms live in order_features.
    CREATE TABLE features (
      _id INTEGER PRIMARY KEY,
      product_id INTEGER NOT NULL REFERENCES products(_id),
      featurenumber INTEGER NOT NULL,
      name TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      pubkey TEXT NOT NULL DEFAULT '',
      crmid TEXT NOT NULL DEFAULT '',
      refid TEXT NOT NULL DEFAULT '',
      canexclude INTEGER NOT NULL DEFAULT 1,
      canmodify INTEGER NOT NULL DEFAULT 1,
      consumptionmode INTEGER NOT NULL DEFAULT 0,
      flags INTEGER NOT NULL DEFAULT 0,
      isremote INTEGER NOT NULL DEFAULT 0,
      licensingmodel INTEGER NOT NULL DEFAULT 1,
      netlicensescount INTEGER NOT NULL DEFAULT 0,
      rentbegindate INTEGER NOT NULL DEFAULT 0,
      rentdayscount INTEGER NOT NULL DEFAULT 0,
      rentenddate INTEGER NOT NULL DEFAULT 0,
      runcounter INTEGER NOT NULL DEFAULT 0,
      UNIQUE (product_id, featurenumber)
    );

    CREATE TABLE memory_items (
      _id INTEGER PRIMARY KEY,
      product_id INTEGER NOT NULL REFERENCES products(_id),
      name TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      aliasid INTEGER NOT NULL DEFAULT 0,
      accesstype INTEGER NOT NULL DEFAULT 0,
      action INTEGER NOT NULL DEFAULT 0,
      maxaccesserrors INTEGER NOT NULL DEFAULT 0,
      readpassword INTEGER NOT NULL DEFAULT 0,
      writepassword INTEGER NOT NULL DEFAULT 0,
      size INTEGER NOT NULL DEFAULT 0,
      crmid TEXT NOT NULL DEFAULT '',
      refid TEXT NOT NULL DEFAULT ''
    );

    CREATE TABLE memory_params (
      _id INTEGER PRIMARY KEY,
      memoryitem_id INTEGER NOT NULL REFERENCES memory_items(_id),
      name TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      datatype INTEGER NOT NULL DEFAULT 0,
      editallowed INTEGER NOT NULL DEFAULT 1,
      offset INTEGER NOT NULL DEFAULT 0,
      size INTEGER NOT NULL,
      data BLOB NOT NULL
    );

    CREATE TABLE orders (
      _id INTEGER PRIMARY KEY,
      number INTEGER NOT NULL UNIQUE,
      type INTEGER NOT NULL,
      status INTEGER NOT NULL DEFAULT 0,
      ishardwarelicense INTEGER NOT NULL DEFAULT 0,
      customer_id INTEGER REFERENCES customers(_id),
      date INTEGER NOT NULL,
      submitdate INTEGER NOT NULL DEFAULT 0,
      activationbirthdate INTEGER NOT NULL DEFAULT 0,
      activationdeathdate INTEGER NOT NULL DEFAULT 0,
      activationlimit INTEGER NOT NULL DEFAULT 1,
      canoverwritecontainer INTEGER NOT NULL DEFAULT 0,
      isdemo INTEGER NOT NULL DEFAULT 0,
      customerrequired INTEGER NOT NULL DEFAULT 0,
      description TEXT NOT NULL DEFAULT '',
      quantity INTEGER NOT NULL DEFAULT 1,
      crmid TEXT NOT NULL DEFAULT '',
      refid TEXT NOT NULL DEFAULT '',
      archivationdate INTEGER NOT NULL DEFAULT 0,
      update_serial TEXT,
      update_dongleid INTEGER
    );
    -- Listing pages are served by skipping through these indexes alone (the status rides along, so a
    -- status filter never touches the table), then joining the 100 rows of the page.
    CREATE INDEX orders_by_number_status ON orders(number, status);
    CREATE INDEX orders_by_submitdate_status ON orders(submitdate, _id, status);
    CREATE INDEX orders_by_customer ON orders(customer_id);

    CREATE TABLE order_products (
      order_id INTEGER NOT NULL REFERENCES orders(_id) ON DELETE CASCADE,
      product_id INTEGER NOT NULL REFERENCES products(_id),
      PRIMARY KEY (order_id, product_id)
    ) WITHOUT ROWID;

    CREATE TABLE order_features (
      order_id INTEGER NOT NULL REFERENCES orders(_id) ON DELETE CASCADE,
      product_id INTEGER NOT NULL,
      feature_id INTEGER NOT NULL REFERENCES features(_id),
      isexcluded INTEGER NOT NULL DEFAULT 0,
      consumptionmode INTEGER NOT NULL,
      flags INTEGER NOT NULL,
      isremote INTEGER NOT NULL,
      licensingmodel INTEGER NOT NULL,
      netlicensescount INTEGER NOT NULL,
      rentbegindate INTEGER NOT NULL,
      rentdayscount INTEGER NOT NULL,
      rentenddate INTEGER NOT NULL,
      runcounter INTEGER NOT NULL,
      PRIMARY KEY (order_id, feature_id),
      FOREIGN KEY (order_id, product_id) REFERENCES order_products(order_id, product_id) ON DELETE CASCADE
    ) WITHOUT ROWID;

    CREATE TABLE order_params (
      order_id INTEGER NOT NULL REFERENCES orders(_id) ON DELETE CASCADE,
      product_id INTEGER NOT NULL,
      param_id INTEGER NOT NULL REFERENCES memory_params(_id),
      data BLOB NOT NULL,
      PRIMARY KEY (order_id, param_id),
      FOREIGN KEY (order_id, product_id) REFERENCES order_products(order_id, product_id) ON DELETE CASCADE
    ) WITHOUT ROWID;

    CREATE TABLE serial_numbers (
      _id INTEGER PRIMARY KEY,
      order_id INTEGER NOT NULL REFERENCES orders(_id),
      serialstring TEXT NOT NULL UNIQUE,
      status INTEGER NOT NULL DEFAULT 0,
      activationcount INTEGER NOT NULL DEFAULT 0,
      activationlimit INTEGER NOT NULL DEFAULT 1,
      licensecontainerversion INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX serial_numbers_by_order ON serial_numbers(order_id);

    -- seen is the order in which the server first met a key: the "default" sort of GET /dongles.
    CREATE TABLE dongles (
      seen INTEGER PRIMARY KEY,
      dongleid INTEGER NOT NULL UNIQUE,
      model INTEGER NOT NULL,
      publiccode INTEGER NOT NULL,
      typeflags INTEGER NOT NULL,
      netresource INTEGER NOT NULL,
      drivertype INTEGER NOT NULL DEFAULT 1
    );

    CREATE TABLE order_dongles (
      order_id INTEGER NOT NULL REFERENCES orders(_id) ON DELETE CASCADE,
      dongleid INTEGER NOT NULL REFERENCES dongles(dongleid),
      added_at INTEGER NOT NULL,
      PRIMARY KEY (order_id, dongleid)
    ) WITHOUT ROWID;
    CREATE INDEX order_dongles_by_dongle ON order_dongles(dongleid, order_id);

    -- One row per licence write attempt, success or not: the key's history and the vendor's bill.
    CREATE TABLE burns (
      _id INTEGER PRIMARY KEY,
      order_id INTEGER NOT NULL REFERENCES orders(_id),
      dongleid INTEGER NOT NULL,
      action INTEGER NOT NULL DEFAULT 1,
      actiondate INTEGER NOT NULL,
      actionresult INTEGER NOT NULL,
      activationsconsumed INTEGER NOT NULL,
      activationscountcurrent INTEGER NOT NULL,
      netlicensesconsumed INTEGER NOT NULL,
      netlicensesremains INTEGER NOT NULL
    );
    CREATE INDEX burns_by_dongle ON burns(dongleid, actiondate);
    CREATE INDEX burns_by_order_dongle ON burns(order_id, dongleid);

    -- The vendor's account: one row.
    CREATE TABLE vendor (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      activations_remaining INTEGER NOT NULL,
      netlicenses_remaining INTEGER NOT NULL,
      subscription_until INTEGER NOT NULL
    );
    INSERT INTO vendor (id, activations_remaining, netlicenses_remaining, subscription_until)
      VALUES (1, 1000000, 1000000, 253402300799);

    -- Scripted failures for demos and tests: the next 'remaining' writes to a key fail with 'actionresult'.
    CREATE TABLE injected_failures (
      _id INTEGER PRIMARY KEY,
      dongleid INTEGER NOT NULL,
      actionresult INTEGER NOT NULL,
      remaining INTEGER NOT NULL
    );
    CREATE INDEX injected_failures_by_dongle ON injected_failures(dongleid);

    -- Order numbers keep counting up even when the newest draft is deleted.
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO counters (name, value) VALUES ('order_number', 0);

    CREATE TABLE users (
      login TEXT PRIMARY KEY,
      salt BLOB NOT NULL,
      hash BLOB NOT NULL
    );

    CREATE TABLE tokens (
      token_hash BLOB PRIMARY KEY,
      login TEXT NOT NULL REFERENCES users(login) ON DELETE CASCADE,
      created_at INTEGER NOT NULL
    ) WITHOUT ROWID;
  `);
}
