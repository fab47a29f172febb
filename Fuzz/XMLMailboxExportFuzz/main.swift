// libFuzzer target for the libxml2 SAX2 reader (`XMLExportReader`) on the mailbox export (`<mailboxes>` with mailboxes),
// every row validated with `RowValidator`. Errors are fine; crashes, hangs, unbounded memory and
// broken invariants (see Fuzz/Shared/XMLExportFuzz.swift) are not.
//
// Compiled by scripts/fuzz.sh together with Sources/ImpactImport (as module ImpactImport) and
// Fuzz/Shared. Build and run: `scripts/fuzz.sh XMLMailboxExportFuzz 60`.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    XMLExportFuzz.run(UnsafeRawBufferPointer(start: size > 0 ? UnsafeRawPointer(data) : nil, count: size))
    return 0
}
