import Foundation
import SamverkaRules

/// RFC 4180 CSV as Swedish spreadsheets write it: UTF-8 with or without BOM, `;` or `,` as
/// delimiter (detected from the header line), quoted fields with doubled quotes, CRLF or LF.
public enum CSVDelimiter: UInt8, Sendable {
    case comma = 0x2C
    case semicolon = 0x3B

    /// The delimiter that occurs most often outside quotes in the header line.
    static func detect(headerLine: [UInt8]) -> CSVDelimiter {
        var inQuotes = false
        var commas = 0, semicolons = 0
        for b in headerLine {
            if b == 0x22 { inQuotes.toggle() }
            else if !inQuotes && b == 0x2C { commas += 1 }
            else if !inQuotes && b == 0x3B { semicolons += 1 }
        }
        return semicolons > commas ? .semicolon : .comma
    }
}

public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidUTF8(line: Int)
    case unterminatedQuote(line: Int)
    case empty

    public var description: String {
        switch self {
        case .invalidUTF8(let line): return "Rad \(line) är inte giltig UTF-8."
        case .unterminatedQuote(let line): return "Rad \(line) har ett citattecken som aldrig avslutas."
        case .empty: return "Filen är tom."
        }
    }
}

/// A streaming CSV reader over any byte source. Memory use is bounded by the longest record,
/// never by the file size.
public struct CSVReader: Sendable {
    public let delimiter: CSVDelimiter
    public let header: [String]
    private var source: ByteSource
    private var line = 1
    /// Line number (1-based, header is line 1) where the last returned record started.
    public private(set) var recordLine = 1

    /// Reads the header line and detects the delimiter. Throws `CSVError.empty` when there is nothing to read.
    public init(source: ByteSource, delimiter: CSVDelimiter? = nil) throws {
        var src = source
        // Skip a UTF-8 byte order mark.
        if src.peek(0) == 0xEF, src.peek(1) == 0xBB, src.peek(2) == 0xBF { src.skip(3) }
        let headerBytes = src.peekLine()
        guard !headerBytes.isEmpty || src.peek(0) != nil else { throw CSVError.empty }
        let delim = delimiter ?? CSVDelimiter.detect(headerLine: headerBytes)
        self.delimiter = delim
        self.source = src
        var tmp = CSVReader.Parser(delimiter: delim)
        guard let fields = try tmp.next(from: &self.source, line: &self.line) else { throw CSVError.empty }
        self.header = fields.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    public init(string: String, delimiter: CSVDelimiter? = nil) throws {
        try self.init(source: ByteSource(bytes: Array(string.utf8)), delimiter: delimiter)
    }

    /// The next record, or nil at end of input. Blank lines are skipped.
    public mutating func next() throws -> [String]? {
        var parser = Parser(delimiter: delimiter)
        while true {
            recordLine = line
            guard let fields = try parser.next(from: &source, line: &line) else { return nil }
            if fields.count == 1 && fields[0].isEmpty { continue }
            return fields
        }
    }

    struct Parser {
        let delimiter: CSVDelimiter
        init(delimiter: CSVDelimiter) { self.delimiter = delimiter }

        mutating func next(from src: inout ByteSource, line: inout Int) throws -> [String]? {
            guard src.peek(0) != nil else { return nil }
            let startLine = line
            var fields: [String] = []
            var field: [UInt8] = []
            var inQuotes = false
            func finish() throws {
                guard let s = String(validating: field, as: UTF8.self) else { throw CSVError.invalidUTF8(line: startLine) }
                fields.append(s)
                field.removeAll(keepingCapacity: true)
            }
            while let b = src.read() {
                if inQuotes {
                    if b == 0x22 {
                        if src.peek(0) == 0x22 { field.append(0x22); src.skip(1) } else { inQuotes = false }
                    } else {
                        if b == 0x0A { line += 1 }
                        field.append(b)
                    }
                    continue
                }
                switch b {
                case 0x22 where field.isEmpty:
                    inQuotes = true
                case delimiter.rawValue:
                    try finish()
                case 0x0D:
                    if src.peek(0) == 0x0A { src.skip(1) }
                    line += 1
                    try finish()
                    return fields
                case 0x0A:
                    line += 1
                    try finish()
                    return fields
                default:
                    field.append(b)
                }
            }
            if inQuotes { throw CSVError.unterminatedQuote(line: startLine) }
            try finish()
            return fields
        }
    }
}

/// Buffered bytes from a file handle or memory.
public struct ByteSource: @unchecked Sendable {
    private var buffer: [UInt8] = []
    private var index = 0
    private let handle: FileHandle?
    private let chunkSize = 1 << 16
    private var exhausted = false

    public init(bytes: [UInt8]) {
        self.buffer = bytes
        self.handle = nil
        self.exhausted = true
    }

    public init(fileHandle: FileHandle) {
        self.handle = fileHandle
    }

    private mutating func fill(_ needed: Int) {
        while buffer.count - index < needed && !exhausted {
            guard let handle, let data = try? handle.read(upToCount: chunkSize), !data.isEmpty else {
                exhausted = true
                break
            }
            if index > 0 {
                buffer.removeFirst(index)
                index = 0
            }
            buffer.append(contentsOf: data)
        }
    }

    mutating func peek(_ offset: Int) -> UInt8? {
        fill(offset + 1)
        let i = index + offset
        return i < buffer.count ? buffer[i] : nil
    }

    mutating func read() -> UInt8? {
        fill(1)
        guard index < buffer.count else { return nil }
        defer { index += 1 }
        return buffer[index]
    }

    mutating func skip(_ n: Int) {
        fill(n)
        index = min(index + n, buffer.count)
    }

    /// The bytes up to (not including) the next line break, without consuming them.
    mutating func peekLine() -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while let b = peek(i), b != 0x0A, b != 0x0D {
            out.append(b)
            i += 1
        }
        return out
    }
}

/// Writes CSV with `;` (the Swedish Excel default) or `,`, quoting where needed. A text cell that a spreadsheet
/// would run as a formula — one that starts with `=`, `+`, `-`, `@`, a tab or a carriage return — gets a leading
/// apostrophe, so an exported list cannot carry formula injection (`-2+3+cmd|' /C calc'!A0`). Only columns the
/// caller names as numeric keep a leading minus, and only when the cell really is a number.
public struct CSVWriter: Sendable {
    public let delimiter: CSVDelimiter
    public init(delimiter: CSVDelimiter = .semicolon) { self.delimiter = delimiter }

    /// UTF-8 byte order mark, so Excel opens the file with the right encoding.
    public static let bom = "\u{FEFF}"

    /// One line; `numeric` holds the indices of columns whose cells are numbers (amounts, counts).
    public func row(_ fields: [String], numeric: Set<Int> = []) -> String {
        fields.enumerated().map { escape($0.element, numeric: numeric.contains($0.offset)) }
            .joined(separator: String(UnicodeScalar(delimiter.rawValue))) + "\r\n"
    }

    func escape(_ raw: String, numeric: Bool = false) -> String {
        var value = raw
        if CSVWriter.startsLikeFormula(value) && !(numeric && CSVWriter.isNumber(value)) { value = "'" + value }
        // One pass over the bytes: Foundation's `contains` of a string bridged every cell to NSString and took a
        // fifth of the organisation export's CPU.
        let d = delimiter.rawValue
        if value.utf8.contains(where: { $0 == d || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    static func startsLikeFormula(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        return first == "=" || first == "+" || first == "-" || first == "@" || first == "\t" || first == "\r"
    }

    /// `-12`, `-12.50`, `3,5`: an optional sign, ASCII digits, at most one decimal separator.
    static func isNumber(_ s: String) -> Bool {
        var scalars = Substring(s).unicodeScalars[...]
        if let f = scalars.first, f == "-" || f == "+" { scalars = scalars.dropFirst() }
        guard !scalars.isEmpty else { return false }
        var separators = 0, digits = 0
        for c in scalars {
            if ("0"..."9").contains(c) { digits += 1 } else if c == "." || c == "," { separators += 1 } else { return false }
        }
        return digits > 0 && separators <= 1
    }
}

extension ByteSource {
    /// Streams a file from disk.
    public static func file(_ path: String) throws -> ByteSource {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return ByteSource(fileHandle: handle)
    }
}

/// Facts about a CSV file on disk.
enum CSVFile {
    /// Lines after the header in a file (the rows to expect, for the progress line), counted by reading it once in
    /// blocks; nil when it cannot be read.
    static func dataLines(in path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var lines = 0, last: UInt8 = 10
        while let block = try? handle.read(upToCount: 1 << 20), !block.isEmpty {
            for byte in block where byte == 10 { lines += 1 }
            last = block.last ?? last
        }
        if last != 10 { lines += 1 }
        return max(0, lines - 1)
    }
}
