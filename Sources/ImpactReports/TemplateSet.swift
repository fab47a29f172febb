import Foundation
import ImpactModel
import Mustache

/// The Mustache templates a report renders: the built-in ones, or a folder's
/// `<name>.mustache` files in their place.
public struct TemplateSet: Sendable {
    let library: MustacheLibrary
    /// Each template's source, to tell which values it uses.
    let sources: [String: String]
    /// Values that cost something to build, and the templates that mention them (searched
    /// once here, not once per draft: 20,000 searches of a template showed in reports).
    static let costlyKeys = ["affected_customer_rows"]
    private let mentions: [String: Set<String>]

    /// The built-in templates, optionally overridden by `directory/<name>.mustache`
    /// (`draft`, `draft.<language>`, `summary`).
    /// - Throws: `ReportError(.usage)` for a template that does not parse, with its line and
    ///   column, or a folder that cannot be read.
    public init(overridesIn directory: String? = nil) throws {
        _ = Markdown.registerContentType
        var sources = DefaultTemplates.all
        var overridden: Set<String> = []
        if let directory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ReportError(.io, "cannot read templates folder \(directory): no such folder")
            }
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
                throw ReportError(.io, "cannot read templates folder \(directory): \((error as NSError).localizedDescription)")
            }
            for name in names.sorted() where name.hasSuffix(".mustache") {
                let path = directory + "/" + name
                let text: String
                do { text = try TextFile.read(path) } catch let error as TextFile.ReadError {
                    throw ReportError(.io, "cannot read template \(path): \(error.reason)")
                }
                sources[String(name.dropLast(".mustache".count))] = text
                overridden.insert(String(name.dropLast(".mustache".count)))
            }
        }
        var library = MustacheLibrary()
        for (name, text) in sources.sorted(by: { $0.key < $1.key }) {
            let file = (overridden.contains(name) ? directory.map { "\($0)/" } ?? "" : "built-in ") + "\(name).mustache"
            do {
                try library.register(text, named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw ReportError(.usage, "\(file):\(error.context.lineNumber):\(error.context.columnNumber): error: the template does not parse: \(Self.describe(error.error))",
                                  located: true)
            } catch {
                throw ReportError(.usage, "\(file): error: the template does not parse: \(error)", located: true)
            }
        }
        self.library = library
        self.sources = sources
        mentions = sources.mapValues { text in Set(Self.costlyKeys.filter { text.contains($0) }) }
    }

    /// Whether the template `name` (or `name.<language>`) mentions `key`: values that are
    /// costly to build are built only for the templates that use them.
    func uses(_ key: String, in name: String, language: String?) -> Bool {
        let chosen = language.flatMap { sources["\(name).\($0)"] != nil ? "\(name).\($0)" : nil } ?? name
        if Self.costlyKeys.contains(key) { return mentions[chosen]?.contains(key) ?? false }
        return sources[chosen]?.contains(key) ?? false
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed with another name than it was opened with"
        case .unfinishedName: return "a tag is not closed with }}"
        case .expectedSectionEnd: return "a section is opened but never closed"
        case .invalidSetDelimiter: return "invalid set-delimiter tag"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: return "invalid pragma ({{% … }})"
        default: return "\(error)"
        }
    }

    /// Renders `name` (or `name.<language>` when there is one) with `values`.
    func render(_ name: String, language: String? = nil, _ values: [String: Any]) -> String {
        if let language, library.getTemplate(named: "\(name).\(language)") != nil {
            return library.render(values, withTemplate: "\(name).\(language)") ?? ""
        }
        return library.render(values, withTemplate: name) ?? ""
    }
}
