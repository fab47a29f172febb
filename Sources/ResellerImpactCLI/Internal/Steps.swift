import ImpactAnalysis
import ImpactImport
import ImpactReports
import ImpactStore

/// The pipeline's steps as the commands share them; each only calls the stage modules.
enum Steps {
    /// Reads `paths` into the store in one transaction and prints the summary.
    static func importExports(_ paths: [String], into store: ImpactStore, options: ImportOptions) throws -> ImportSummary {
        let expansion = try InputFiles.expand(paths)
        let summary = try store.importExports(options: options) { sink in
            try Importer(files: expansion.files, strict: options.strict).run(into: sink)
        }
        Console.note(ImportSummaryText.render(summary, database: store.path, skipped: expansion.skipped))
        return summary
    }

    /// Writes the report folder and says what was written.
    static func report(_ impact: IncidentImpact, offline: OfflineVolumeSet, store: ImpactStore, options: ReportOptions) throws {
        let writer = ReportWriter(store: store, templates: try TemplateSet(overridesIn: options.templates), settings: try options.settings(offline: Set(offline.volumes)))
        let outcome = try writer.write(impact, offline: offline, to: options.out)
        var note = "Wrote \(outcome.drafts) reseller \(outcome.drafts == 1 ? "draft" : "drafts") and the summary to \(options.out)/"
        if outcome.removedStaleFiles > 0 { note += " (removed \(outcome.removedStaleFiles) files of an earlier report)" }
        Console.note(note)
    }
}
