import GRDB
import ImpactModel

/// The database layout, in the problem's words, so that `sqlite3 reseller-impact.sqlite` reads
/// naturally. Entity tables are rowid tables that an import fills by appending into an
/// `incoming_*` copy and swapping it in; their indexes are built after the load, which is
/// 2–2.4× faster than keyed inserts (DECISIONS.md).
enum Schema {
    /// `CREATE TABLE` for an entity's table under `name`.
    static func createTable(_ entity: Entity, named name: String) -> String {
        switch entity {
        case .reseller:
            """
            CREATE TABLE \(name) (
                id INTEGER PRIMARY KEY,
                reseller_id TEXT NOT NULL,
                name TEXT NOT NULL,
                contact_email TEXT NOT NULL,
                contact_name TEXT,
                language TEXT NOT NULL,
                source_file_id INTEGER NOT NULL,
                line INTEGER NOT NULL,
                col INTEGER NOT NULL)
            """
        case .customer:
            """
            CREATE TABLE \(name) (
                id INTEGER PRIMARY KEY,
                customer_id TEXT NOT NULL,
                reseller_id TEXT NOT NULL,
                name TEXT NOT NULL,
                contact_email TEXT,
                source_file_id INTEGER NOT NULL,
                line INTEGER NOT NULL,
                col INTEGER NOT NULL)
            """
        case .domain:
            """
            CREATE TABLE \(name) (
                id INTEGER PRIMARY KEY,
                domain TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                source_file_id INTEGER NOT NULL,
                line INTEGER NOT NULL,
                col INTEGER NOT NULL)
            """
        case .mailbox:
            """
            CREATE TABLE \(name) (
                id INTEGER PRIMARY KEY,
                -- Lower-cased, with exactly one '@'; its domain is what follows the '@'
                -- (`mailboxDomain`), kept in the index only, not stored twice.
                address TEXT NOT NULL,
                volume_id INTEGER NOT NULL REFERENCES volume(id),
                size_mb INTEGER,
                source_file_id INTEGER NOT NULL,
                line INTEGER NOT NULL,
                col INTEGER NOT NULL)
            """
        }
    }

    /// The key column of an entity: unique once duplicates are removed.
    static func keyColumn(_ entity: Entity) -> String {
        switch entity {
        case .reseller: "reseller_id"
        case .customer: "customer_id"
        case .domain: "domain"
        case .mailbox: "address"
        }
    }

    /// A mailbox's domain, as SQL: everything after the address's one `@`. The mailbox index
    /// is built on this expression, and a query that spells it the same way uses the index.
    static let mailboxDomain = "substr(address, instr(address, '@') + 1)"

    /// The index on an entity's key. Built on the incoming table right after the load: the
    /// duplicate search walks it, and it stays as the key's lookup index. Not declared UNIQUE
    /// (the duplicate search guarantees that) so that no second sort is needed.
    static func createKeyIndex(_ entity: Entity, on table: String) -> String {
        switch entity {
        // A customer's reseller rides along in its key index, which the exposure builder
        // reads in key order without touching the table.
        case .customer: "CREATE INDEX customer_by_customer_id ON \(table)(customer_id, reseller_id)"
        // The one mailbox index, covering: by domain, then address (so that duplicates are
        // neighbours), with the volume. The duplicate search, the exposure build, reports
        // and exports all read it in order without touching the table.
        case .mailbox: "CREATE INDEX mailbox_by_domain ON \(table)(\(mailboxDomain), address, volume_id)"
        case .reseller, .domain: "CREATE INDEX \(entity.rawValue)_by_\(keyColumn(entity)) ON \(table)(\(keyColumn(entity)))"
        }
    }

    /// The other indexes of the final tables, built after the load.
    static func createIndexes(_ entity: Entity) -> [String] {
        switch entity {
        case .reseller, .mailbox: []
        case .customer: []
        // The exposure build reads domains in customer order (their row ids ride along).
        case .domain: ["CREATE INDEX domain_by_customer_id ON domain(customer_id)"]
        }
    }

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("Create resellers, customers, domains, mailboxes and rejects") { db in
            try db.execute(sql: """
                CREATE TABLE volume (
                    id INTEGER PRIMARY KEY,
                    cluster TEXT NOT NULL,
                    volume TEXT NOT NULL,
                    UNIQUE (cluster, volume));
                CREATE TABLE import_run (
                    id INTEGER PRIMARY KEY,
                    entities TEXT NOT NULL,
                    strict INTEGER NOT NULL,
                    allow_shrink INTEGER NOT NULL);
                CREATE TABLE source_file (
                    id INTEGER PRIMARY KEY,
                    import_run_id INTEGER NOT NULL REFERENCES import_run(id),
                    path TEXT NOT NULL,
                    format TEXT NOT NULL,
                    entities TEXT NOT NULL,
                    rows_read INTEGER NOT NULL DEFAULT 0,
                    rows_imported INTEGER NOT NULL DEFAULT 0,
                    rows_rejected INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE reject (
                    id INTEGER PRIMARY KEY,
                    import_run_id INTEGER NOT NULL REFERENCES import_run(id),
                    entity TEXT,
                    file TEXT NOT NULL,
                    line INTEGER NOT NULL,
                    col INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    raw TEXT NOT NULL);
                CREATE INDEX reject_by_entity ON reject(entity);
                -- Precomputed at the end of every import (ExposureBuilder), so that an analysis
                -- reads the offline volumes' rows and nothing else.
                -- Per volume: its mailboxes per domain, each with the domain's customer and
                -- reseller and the customer's total over all volumes, packed as four 32-bit
                -- little-endian integers (mailboxes, customer row, reseller row, customer
                -- total; 0 where a link is broken). One blob per volume reads in one step
                -- and iterates at memory speed: millions of rows in milliseconds.
                CREATE TABLE volume_exposure (
                    volume_id INTEGER PRIMARY KEY,
                    pairs INTEGER NOT NULL,
                    packed BLOB NOT NULL);
                CREATE TABLE volume_total (
                    volume_id INTEGER PRIMARY KEY,
                    mailboxes INTEGER NOT NULL,
                    unattributed INTEGER NOT NULL,
                    unknown_domain INTEGER NOT NULL);
                CREATE TABLE reseller_total (
                    reseller_row INTEGER PRIMARY KEY,
                    mailboxes INTEGER NOT NULL,
                    customers INTEGER NOT NULL);
                -- Domains of unattributed mailboxes (unknown, or without a customer or reseller).
                CREATE TABLE unattributed_domain (
                    domain TEXT PRIMARY KEY) WITHOUT ROWID;
                -- Each domain's customer row, indexed by domain row: 32-bit little-endian
                -- integers, 0 for none. Lets a report walk the mailbox index once.
                CREATE TABLE domain_customer (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    packed BLOB NOT NULL);
                INSERT INTO domain_customer VALUES (1, x'');
                CREATE TABLE link_summary (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    customers_with_unknown_reseller INTEGER NOT NULL,
                    domains_with_unknown_customer INTEGER NOT NULL);
                INSERT INTO link_summary VALUES (1, 0, 0);
                """)
            // The entity tables as this first version made them (migrations never change).
            try db.execute(sql: """
                CREATE TABLE customer (
                    id INTEGER PRIMARY KEY,
                    customer_id TEXT NOT NULL,
                    reseller_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    contact_email TEXT,
                    source_file_id INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    col INTEGER NOT NULL);
                CREATE INDEX customer_by_customer_id ON customer(customer_id, reseller_id);
                CREATE INDEX customer_by_reseller_id ON customer(reseller_id);
                CREATE TABLE domain (
                    id INTEGER PRIMARY KEY,
                    domain TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    source_file_id INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    col INTEGER NOT NULL);
                CREATE INDEX domain_by_domain ON domain(domain);
                CREATE INDEX domain_by_customer_id ON domain(customer_id, domain);
                CREATE TABLE mailbox (
                    id INTEGER PRIMARY KEY,
                    address TEXT NOT NULL,
                    address_hash INTEGER NOT NULL,
                    domain TEXT NOT NULL,
                    volume_id INTEGER NOT NULL REFERENCES volume(id),
                    size_mb INTEGER,
                    source_file_id INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    col INTEGER NOT NULL);
                CREATE INDEX mailbox_by_address_hash ON mailbox(address_hash);
                CREATE INDEX mailbox_by_domain_volume ON mailbox(domain, volume_id, address);
                CREATE TABLE reseller (
                    id INTEGER PRIMARY KEY,
                    reseller_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    contact_email TEXT NOT NULL,
                    contact_name TEXT,
                    language TEXT NOT NULL,
                    source_file_id INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    col INTEGER NOT NULL);
                CREATE INDEX reseller_by_reseller_id ON reseller(reseller_id);
                """)
        }
        // Version 2 stores a mailbox's domain once (in its address) and keeps one covering
        // mailbox index, which also finds duplicates; two indexes nothing read are gone. The
        // entity tables then match `createTable`, `createKeyIndex` and `createIndexes`.
        migrator.registerMigration("One mailbox index; no stored domain or address hash") { db in
            try db.execute(sql: """
                DROP INDEX mailbox_by_address_hash;
                DROP INDEX mailbox_by_domain_volume;
                ALTER TABLE mailbox DROP COLUMN address_hash;
                ALTER TABLE mailbox DROP COLUMN domain;
                \(createKeyIndex(.mailbox, on: "mailbox"));
                DROP INDEX customer_by_reseller_id;
                DROP INDEX domain_by_customer_id;
                CREATE INDEX domain_by_customer_id ON domain(customer_id);
                """)
        }
        return migrator
    }
}
