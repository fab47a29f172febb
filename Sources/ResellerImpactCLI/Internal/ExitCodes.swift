import ArgumentParser
import ImpactAnalysis
import ImpactImport
import ImpactReports
import ImpactStore
import ImpactSynthetic

/// The contract's exit codes: 0 success; 64 usage; 65 bad input data; 74 I/O; 1 anything else.
enum ExitCodes {
    static let usage: Int32 = 64
    static let badData: Int32 = 65
    static let io: Int32 = 74

    static func code(for error: any Error) -> Int32 {
        switch error {
        case let e as ImportError:
            switch e.kind { case .badData: badData; case .io: io; case .usage: usage }
        case let e as StoreError:
            switch e.kind { case .refusedData: badData; case .io: io; case .unknownName: usage; case .busy, .incompatible: 1 }
        case let e as AnalysisError:
            switch e.kind { case .usage: usage; case .io: io }
        case let e as ReportError:
            switch e.kind { case .io: io; case .usage: usage }
        case let e as GenerateError:
            switch e.kind { case .io: io; case .usage: usage }
        default:
            1
        }
    }

    /// Runs a command body: an error is printed as `file:line:column: error: …` (or
    /// `error: …`) on standard error and ends the process with its exit code.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch {
            Console.note(String(describing: error))
            throw ExitCode(code(for: error))
        }
    }
}
