import Foundation
import SamverkaRules
/// Finds object keys that occur twice in the same JSON object (`{"name":"a","name":"b"}`), which
/// decoders otherwise resolve silently by keeping one of them. Works on raw bytes, without building a tree.
enum JSONKeyScanner {
    /// The first duplicated key and its path (`memberCounts[0].year`), or nil.
    static func firstDuplicate(in bytes: [UInt8]) -> String? {
        var i = 0
        var stack: [(keys: Set<String>, path: String, isObject: Bool, index: Int)] = []
        var pendingKey: String?
        func skipSpace() { while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 } }
        func readString() -> String? {
            guard i < bytes.count, bytes[i] == 0x22 else { return nil }
            i += 1
            var out: [UInt8] = []
            while i < bytes.count, bytes[i] != 0x22 {
                if bytes[i] == 0x5C, i + 1 < bytes.count { out.append(bytes[i]); i += 1 }
                out.append(bytes[i])
                i += 1
            }
            i += 1
            return String(decoding: out, as: UTF8.self)
        }
        func childPath() -> String {
            guard let top = stack.last else { return "" }
            if top.isObject { return top.path.isEmpty ? (pendingKey ?? "") : top.path + "." + (pendingKey ?? "") }
            return top.path + "[\(top.index)]"
        }
        while i < bytes.count {
            skipSpace()
            guard i < bytes.count else { break }
            let b = bytes[i]
            switch b {
            case 0x7B: // {
                let path = childPath()
                stack.append((keys: [], path: path, isObject: true, index: 0))
                i += 1
                skipSpace()
                if i < bytes.count, bytes[i] == 0x22 {
                    guard let key = readString() else { return nil }
                    stack[stack.count - 1].keys.insert(key)
                    pendingKey = key
                }
            case 0x5B: // [
                stack.append((keys: [], path: childPath(), isObject: false, index: 0))
                i += 1
            case 0x7D, 0x5D: // } ]
                // A closing bracket without an opening one is malformed JSON: leave it to the decoder's error.
                guard !stack.isEmpty else { return nil }
                stack.removeLast()
                i += 1
            case 0x2C: // ,
                i += 1
                guard let top = stack.last else { continue }
                if top.isObject {
                    skipSpace()
                    guard let key = readString() else { return nil }
                    if top.keys.contains(key) { return top.path.isEmpty ? key : top.path + "." + key }
                    stack[stack.count - 1].keys.insert(key)
                    pendingKey = key
                } else {
                    stack[stack.count - 1].index += 1
                }
            case 0x22:
                _ = readString()
            default:
                i += 1
            }
        }
        return nil
    }
}
