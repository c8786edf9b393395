import NIOCore

/// Markup written in Swift straight into the response's bytes: the base layout of every page, and the pages on hot
/// paths (a template engine costs as much per page as the rest of a request). Text is escaped as Leaf escapes it
/// (`& < > " '`), and markup can only be a literal in the code, so data can never reach a page unescaped.
struct HTMLWriter {
    private(set) var buffer: ByteBuffer

    init(capacity: Int = 8192) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Markup as written in the code.
    mutating func raw(_ markup: StaticString) {
        buffer.writeStaticString(markup)
    }

    /// Text or an attribute's value, escaped.
    mutating func text(_ value: String) {
        Self.escape(value, into: &buffer)
    }

    mutating func text(_ value: Int) {
        buffer.writeString(String(value))
    }

    /// A table's column headings: `<th scope="col">`, the escaped heading, `</th>` for each; the headings at the
    /// offsets in `numeric` are right-aligned (`class="num"`).
    mutating func columnHeadings(_ headings: [String], numeric: Set<Int> = []) {
        for (offset, heading) in headings.enumerated() {
            raw(numeric.contains(offset) ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">")
            text(heading)
            raw("</th>")
        }
    }

    /// Markup another renderer made (a page body from its template).
    mutating func rendered(_ markup: ByteBuffer) {
        var markup = markup
        buffer.writeBuffer(&markup)
    }

    /// Writes `value` with `& < > " '` as entities; runs without them are copied as they are.
    static func escape(_ value: String, into buffer: inout ByteBuffer) {
        var value = value
        value.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            var start = 0
            for i in 0..<bytes.count {
                let entity: StaticString
                switch bytes[i] {
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "\""): entity = "&quot;"
                case UInt8(ascii: "'"): entity = "&#39;"
                default: continue
                }
                if start < i { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start..<i])) }
                buffer.writeStaticString(entity)
                start = i + 1
            }
            if start < bytes.count { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start...])) }
        }
    }
}
