/// Small built-in word lists for names that read like a real reseller base. Every list is
/// ASCII where it goes into an address or domain; company names may hold `&`, `,` and
/// accented letters, so CSV quoting and XML escaping are exercised. Sizes are powers of two
/// where an index is drawn by masking.
enum WordLists {
    /// 64 first names, mixed European.
    static let firstNames: [[UInt8]] = bytes([
        "anna", "ben", "carla", "david", "emma", "felix", "greta", "hugo", "ines", "jan",
        "katrin", "lukas", "marie", "noah", "olivia", "paul", "quinn", "rosa", "sam", "tara",
        "uwe", "vera", "william", "xenia", "yusuf", "zoe", "aisha", "bram", "chloe", "daan",
        "elena", "finn", "george", "hannah", "isaac", "julia", "koen", "lea", "mateo", "nina",
        "oscar", "priya", "ruben", "sophie", "thomas", "ursula", "victor", "wendy", "amir", "bella",
        "claire", "dennis", "eva", "frank", "gina", "henrik", "ivy", "jonas", "karen", "liam",
        "mila", "niels", "omar", "petra",
    ])

    /// 64 family names, ASCII spellings.
    static let lastNames: [[UInt8]] = bytes([
        "smith", "jones", "mueller", "schmidt", "devries", "jansen", "martin", "bernard", "rossi", "garcia",
        "brown", "taylor", "wilson", "evans", "fischer", "weber", "meyer", "wagner", "bakker", "visser",
        "dubois", "moreau", "lambert", "bianchi", "romano", "lopez", "patel", "khan", "nguyen", "kowalski",
        "novak", "hughes", "clarke", "walker", "wright", "green", "hall", "wood", "koch", "richter",
        "klein", "wolf", "peeters", "janssens", "mertens", "dupont", "leroy", "fontaine", "marino", "greco",
        "santos", "ferreira", "silva", "okafor", "mensah", "olsen", "hansen", "berg", "lindqvist", "nieminen",
        "horvat", "kovacs", "murphy", "kelly",
    ])

    /// Capitalised family names for people's and companies' display names (same order as `lastNames`).
    static let displayLastNames: [[UInt8]] = bytes([
        "Smith", "Jones", "Müller", "Schmidt", "de Vries", "Jansen", "Martin", "Bernard", "Rossi", "García",
        "Brown", "Taylor", "Wilson", "Evans", "Fischer", "Weber", "Meyer", "Wagner", "Bakker", "Visser",
        "Dubois", "Moreau", "Lambert", "Bianchi", "Romano", "López", "Patel", "Khan", "Nguyen", "Kowalski",
        "Novák", "Hughes", "Clarke", "Walker", "Wright", "Green", "Hall", "Wood", "Koch", "Richter",
        "Klein", "Wolf", "Peeters", "Janssens", "Mertens", "Dupont", "Leroy", "Fontaine", "Marino", "Greco",
        "Santos", "Ferreira", "Silva", "Okafor", "Mensah", "Olsen", "Hansen", "Berg", "Lindqvist", "Nieminen",
        "Horvat", "Kovács", "Murphy", "Kelly",
    ])

    /// Place-like words for company names ("Harbourview Dental").
    static let places: [[UInt8]] = bytes([
        "Harbourview", "Northwind", "Elmstead", "Kingsbridge", "Millbrook", "Riverside", "Stonebridge", "Oakfield",
        "Brackenridge", "Cranfield", "Westgate", "Ashford", "Lindenhof", "Rosenhügel", "Eichenweg", "Bergblick",
        "Zonnehoek", "De Klimop", "Vijverhof", "Beaulieu", "Montclair", "Valmont", "Bellavista", "Monteverde",
        "Greenfield", "Fairhaven", "Highcliff", "Lakeside", "Meadowbank", "Silverdale", "Tidewater", "Windmere",
    ])

    /// What a customer does.
    static let trades: [[UInt8]] = bytes([
        "Dental", "Bakery", "Physiotherapy", "Solicitors", "Accountants", "Architects", "Golf Club", "Primary School",
        "Medical Centre", "Opticians", "Brewing", "Florist", "Garage", "Veterinary Clinic", "Hotel", "Café",
        "Bookshop", "Builders", "Consulting", "Print Shop", "Pharmacy", "Dance Studio", "Law Office", "Travel",
        "Kindergarten", "Plumbing", "Photography", "Catering", "Tax Advisers", "Estate Agents", "Joinery", "Yoga",
    ])

    /// A company name's legal suffix; empty for none.
    static let companySuffixes: [[UInt8]] = bytes([
        "", "", "", " Ltd", " GmbH", " B.V.", " SARL", " S.r.l.",
    ])

    /// What a reseller calls itself after its name.
    static let resellerKinds: [[UInt8]] = bytes([
        "Hosting", "Web Services", "IT Solutions", "Systemhaus", "ICT", "Digital", "Networks", "Cloud",
        "Internet", "Media", "Computer Service", "Agence Web", "Telecom", "Online", "Data", "Managed IT",
    ])

    /// Mailboxes every small company has: the first mailbox of each domain.
    static let roleMailboxes: [[UInt8]] = bytes([
        "info", "office", "contact", "admin", "hello", "mail", "reception", "accounts",
    ])

    /// Reseller languages, weighted by repetition (16 entries).
    static let languages: [[UInt8]] = bytes([
        "en", "en", "en", "en", "en", "de", "de", "de", "nl", "nl", "fr", "fr", "it", "es", "pl", "sv",
    ])

    private static func bytes(_ words: [String]) -> [[UInt8]] { words.map { Array($0.utf8) } }
}
