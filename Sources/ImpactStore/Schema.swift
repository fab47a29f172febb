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
                -- The lower-cased address split at its one '@': what precedes it and the
                -- domain (what follows it). Stored apart so that the mailbox index holds
                -- each byte once; the view `mailbox` puts them together as `address`.
                local TEXT NOT NULL,
                domain TEXT NOT NULL,
                volume_id INTEGER NOT NULL REFERENCES volume(id),
                size_mb INTEGER,
                source_file_id INTEGER NOT NULL,
                line INTEGER NOT NULL,
                col INTEGER NOT NULL)
            """
        }
    }

    /// The table that stores an entity's rows. Mailboxes are stored in `mailbox_entry`
    /// (address split into local part and domain) and read through the view `mailbox`, which
    /// adds `address`; the other entities' tables carry their own names.
    static func storageTable(_ entity: Entity) -> String {
        entity == .mailbox ? "mailbox_entry" : entity.rawValue
    }

    /// The view `mailbox`: `mailbox_entry` with the address put together. A view, not a
    /// generated column, because SQLite computes a virtual column on every insert (35 % of
    /// the cost of appending a mailbox row). Simple enough for SQLite to flatten: a query
    /// through it uses `mailbox_by_domain` as if it named the table.
    static let createMailboxView = """
        CREATE VIEW mailbox AS
            SELECT id, local || '@' || domain AS address, local, domain, volume_id, size_mb, source_file_id, line, col
            FROM mailbox_entry
        """

    /// The key column of an entity: unique once duplicates are removed.
    static func keyColumn(_ entity: Entity) -> String {
        switch entity {
        case .reseller: "reseller_id"
        case .customer: "customer_id"
        case .domain: "domain"
        case .mailbox: "address"
        }
    }

    /// A mailbox's domain in a database of version 1 or 2, as SQL: everything after the
    /// address's one `@` (their mailbox index is built on this expression). Read commands
    /// still read such a database as it is (`MailboxLayout`).
    static let legacyMailboxDomain = "substr(address, instr(address, '@') + 1)"

    /// The index on an entity's key. Built on the incoming table right after the load: the
    /// duplicate search walks it, and it stays as the key's lookup index. Not declared UNIQUE
    /// (the duplicate search guarantees that) so that no second sort is needed.
    static func createKeyIndex(_ entity: Entity, on table: String) -> String {
        switch entity {
        // A customer's reseller rides along in its key index, which the exposure builder
        // reads in key order without touching the table.
        case .customer: "CREATE INDEX customer_by_customer_id ON \(table)(customer_id, reseller_id)"
        // The one mailbox index, covering: by domain, then local part (so that duplicates
        // are neighbours), with the volume. The duplicate search, the exposure build, reports
        // and exports all read it in order without touching the table.
        case .mailbox: "CREATE INDEX mailbox_by_domain ON \(table)(domain, local, volume_id)"
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
        // mailbox index, which also finds duplicates; two indexes nothing read are gone.
        migrator.registerMigration("One mailbox index; no stored domain or address hash") { db in
            try db.execute(sql: """
                DROP INDEX mailbox_by_address_hash;
                DROP INDEX mailbox_by_domain_volume;
                ALTER TABLE mailbox DROP COLUMN address_hash;
                ALTER TABLE mailbox DROP COLUMN domain;
                CREATE INDEX mailbox_by_domain ON mailbox(\(legacyMailboxDomain), address, volume_id);
                DROP INDEX customer_by_reseller_id;
                DROP INDEX domain_by_customer_id;
                CREATE INDEX domain_by_customer_id ON domain(customer_id);
                """)
        }
        // Version 3 stores the address as local part and domain, so that the mailbox index
        // is on plain columns: 39 % smaller than on (domain expression, address), and
        // built, written and read back faster (docs/PERFORMANCE.md, session 3). The table is
        // `mailbox_entry`; the view `mailbox` keeps `address` for queries.
        migrator.registerMigration("Mailbox address stored as local part and domain") { db in
            // Literal SQL: a migration never changes, whatever `createTable` becomes. Every
            // stored address has exactly one '@' (normalisation has always rejected others);
            // substr and instr count code points, so marks next to the '@' stay on their side.
            try db.execute(sql: """
                CREATE TABLE mailbox_entry (
                    id INTEGER PRIMARY KEY,
                    local TEXT NOT NULL,
                    domain TEXT NOT NULL,
                    volume_id INTEGER NOT NULL REFERENCES volume(id),
                    size_mb INTEGER,
                    source_file_id INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    col INTEGER NOT NULL);
                INSERT INTO mailbox_entry (id, local, domain, volume_id, size_mb, source_file_id, line, col)
                    SELECT id, substr(address, 1, instr(address, '@') - 1), \(legacyMailboxDomain),
                           volume_id, size_mb, source_file_id, line, col
                    FROM mailbox ORDER BY id;
                DROP TABLE mailbox;
                CREATE INDEX mailbox_by_domain ON mailbox_entry(domain, local, volume_id);
                CREATE VIEW mailbox AS
                    SELECT id, local || '@' || domain AS address, local, domain, volume_id, size_mb, source_file_id, line, col
                    FROM mailbox_entry;
                """)
        }
        return migrator
    }
}

/// How the mailboxes of an open database are held. Version 3 splits addresses into `local`
/// and `domain` columns (the view `mailbox` has those and `address`); versions 1 and 2, which
/// read commands still read as they are, have a table `mailbox` with `address` and index the
/// domain as an expression.
enum MailboxLayout: Sendable {
    case split
    case address

    static func of(_ db: Database) throws -> MailboxLayout {
        try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'mailbox_entry'")! ? .split : .address
    }

    /// Columns giving the address (as one column or as local part and domain), in index order.
    var addressColumns: String {
        switch self {
        case .split: "local, domain"
        case .address: "address"
        }
    }

    /// ORDER BY for the mailbox index's order: domain, then the rest of the address.
    var indexOrder: String {
        switch self {
        case .split: "domain, local"
        case .address: "\(Schema.legacyMailboxDomain), address"
        }
    }

    /// The domain as SQL (for `WHERE … = ?`, which the mailbox index serves).
    var domain: String {
        switch self {
        case .split: "domain"
        case .address: Schema.legacyMailboxDomain
        }
    }
}
