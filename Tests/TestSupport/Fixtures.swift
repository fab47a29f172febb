import Foundation
import ImpactImport
import ImpactModel
import ImpactStore

/// Imports files into a store the way the CLI does.
public func importFiles(_ paths: [String], into store: ImpactStore, strict: Bool = false, allowShrink: Bool = false) throws -> ImportSummary {
    let files = try InputFiles.expand(paths).files
    return try store.importExports(options: ImportOptions(strict: strict, allowShrink: allowShrink)) { sink in
        try Importer(files: files, strict: strict).run(into: sink)
    }
}

/// A small, complete data set: two resellers, their customers and domains, mailboxes over
/// two clusters, and one broken link of each kind.
public enum SmallDataSet {
    public static let resellersCSV = """
        reseller_id,name,contact_email,contact_name,language
        R1,Northwind Hosting,noc@northwind.example,Jane Roe,en
        R2,Bergwerk IT,support@bergwerk.example,,de
        R3,Empty Reseller,empty@example.com,,
        """
    public static let customersCSV = """
        customer_id,reseller_id,name,contact_email
        C1,R1,Acme Ltd,it@acme.example
        C2,R1,Beta GmbH,
        C3,R2,Gamma SA,
        C9,R404,Lost Customer,
        """
    public static let domainsCSV = """
        domain,customer_id
        acme.example,C1
        beta.example,C2
        gamma.example,C3
        lost.example,C9
        orphan.example,C404
        """
    public static let mailboxesCSV = """
        address,cluster,volume,size_mb
        alice@acme.example,A,vol01,10
        bob@acme.example,A,vol01,
        carol@beta.example,A,vol01,5
        dave@beta.example,A,vol02,7
        erin@gamma.example,B,vol01,1
        frank@lost.example,A,vol01,1
        gina@orphan.example,A,vol01,1
        hank@nodomain.example,A,vol02,1
        """

    /// Writes the four files into `dir` and returns their paths in import order.
    public static func write(into dir: TemporaryDirectory) -> [String] {
        [dir.write("1-resellers.csv", resellersCSV), dir.write("2-customers.csv", customersCSV),
         dir.write("3-domains.csv", domainsCSV), dir.write("4-mailboxes.csv", mailboxesCSV)]
    }
}
