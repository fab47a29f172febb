import Foundation
import Mustache

/// The Mustache templates a report renders: the built-in ones, or a folder's
/// `<name>.mustache` files in their place.
public struct TemplateSet: Sendable {
    let library: MustacheLibrary

    /// The built-in templates, optionally overridden by `directory/<name>.mustache`
    /// (`draft`, `draft.<language>`, `summary`).
    /// - Throws: `ReportError(.usage)` for a template that does not parse, with its line and
    ///   column, or a folder that cannot be read.
    public init(overridesIn directory: String? = nil) throws {
        _ = Markdown.registerContentType
        var sources = DefaultTemplates.all
        if let directory {
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
                throw ReportError(.usage, "cannot read templates folder \(directory): \((error as NSError).localizedDescription)")
            }
            for name in names where name.hasSuffix(".mustache") {
                let path = directory + "/" + name
                guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    throw ReportError(.usage, "cannot read template \(path) as UTF-8 text")
                }
                sources[String(name.dropLast(".mustache".count))] = text
            }
        }
        var library = MustacheLibrary()
        for (name, text) in sources {
            do {
                try library.register(text, named: name)
            } catch let error as MustacheLibrary.ParserError {
                throw ReportError(.usage, "\(directory.map { "\($0)/" } ?? "")\(name).mustache:\(error.context.lineNumber):\(error.context.columnNumber): error: the template does not parse (\(error.error))")
            } catch {
                throw ReportError(.usage, "\(name).mustache: error: the template does not parse (\(error))")
            }
        }
        self.library = library
    }

    /// Renders `name` (or `name.<language>` when there is one) with `values`.
    func render(_ name: String, language: String? = nil, _ values: [String: Any]) -> String {
        if let language, library.getTemplate(named: "\(name).\(language)") != nil {
            return library.render(values, withTemplate: "\(name).\(language)") ?? ""
        }
        return library.render(values, withTemplate: name) ?? ""
    }
}
