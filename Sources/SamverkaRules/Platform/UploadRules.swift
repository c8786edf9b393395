import Foundation

/// What an uploaded file must be: not empty, not too large, of an accepted type, with a file name that is safe
/// to store and to send back. One rule for every upload (grant attachments, meeting documents, consultation
/// drafts and responses).
public enum UploadRules {
    /// Document types accepted unless a form says otherwise: PDF, Word/Excel (OOXML), OpenDocument, images, text.
    public static let documentTypes = ["application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.oasis.opendocument.text",
                                       "application/vnd.oasis.opendocument.spreadsheet", "image/png", "image/jpeg", "text/plain", "text/csv"]
    /// The largest document, unless a form says otherwise.
    public static let defaultMaxMB = 20

    public struct Checked: Sendable, Equatable {
        public var filename: String
        public var contentType: String
    }

    /// Checks a file and returns its safe name and bare content type; problems are added to `errors` under `field`
    /// (size and type) and `nameField` (the file name).
    public static func check(filename: String, contentType: String, size: Int, maxMB: Int = defaultMaxMB, accepted: [String] = documentTypes,
                             field: String = "file", nameField: String? = nil, errors: inout FieldErrors) -> Checked {
        if size == 0 { errors.add(field, code: "fileRequired") }
        if size > maxMB * 1024 * 1024 { errors.add(field, code: "fileTooLarge", String(maxMB)) }
        let type = mediaType(contentType)
        if !accepted.contains(type) { errors.add(field, code: "fileType", accepted.joined(separator: ", ")) }
        let name = TextRules.line(safeFilename(filename), field: nameField ?? field, max: 200, required: true, errors: &errors)
        return Checked(filename: name, contentType: type)
    }

    /// `text/plain; charset=utf-8` → `text/plain`.
    public static func mediaType(_ contentType: String) -> String {
        contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    /// The last path component of what a browser or client sent (`../../etc/passwd` → `passwd`,
    /// `C:\Users\a\brev.pdf` → `brev.pdf`), without control characters, quotes or leading dots.
    public static func safeFilename(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(String.UnicodeScalarView(last.unicodeScalars.filter {
            $0.properties.generalCategory != .control && $0 != "\"" && $0 != "\u{2028}" && $0 != "\u{2029}"
        }))
        return String(cleaned.trimmingCharacters(in: .whitespaces).drop { $0 == "." })
    }

    /// A `Content-Disposition` value (RFC 6266): an ASCII fallback in `filename` and the real name in
    /// `filename*` (RFC 8187, UTF-8, percent-encoded), so å, ä and ö reach the user and the header stays ASCII.
    public static func contentDisposition(_ filename: String, inline: Bool = false) -> String {
        let name = safeFilename(filename)
        let fallback = String(name.unicodeScalars.map { s -> Character in
            s.isASCII && s.value >= 0x20 && s != "\\" && s != "%" ? Character(s) : "_"
        })
        let kind = inline ? "inline" : "attachment"
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? fallback
        return "\(kind); filename=\"\(fallback.isEmpty ? "fil" : fallback)\"; filename*=UTF-8''\(encoded.isEmpty ? "fil" : encoded)"
    }
}
