import Foundation
import SamverkaRules

/// Turns Swedish text into search terms: lower-cased words (å, ä and ö kept as their own letters),
/// stemmed with the Snowball Swedish algorithm. The SQLite index stores and queries these terms;
/// PostgreSQL does the same work itself with the `swedish` text search configuration.
public enum SwedishAnalyzer {
    /// Words of the text, lower-cased, split on anything that is not a letter or digit.
    public static func words(_ text: String) -> [String] {
        if let fast = latinWords(text) { return fast }
        var out: [String] = []
        var current = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber {
                current.append(ch)
            } else if !current.isEmpty {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// The same for text of ASCII and Latin letters (U+00C0–U+017F), scalar by scalar; nil for any other
    /// text, which takes the general path above (combining marks, other scripts, special lower-casing).
    private static func latinWords(_ text: String) -> [String]? {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            let v = s.value
            let lower: Unicode.Scalar
            if v < 0x80 {
                switch v {
                case 0x41...0x5A: lower = Unicode.Scalar(UInt8(truncatingIfNeeded: v + 32))
                case 0x61...0x7A, 0x30...0x39: lower = s
                default:
                    if !current.isEmpty { out.append(String(current)); current = String.UnicodeScalarView() }
                    continue
                }
            } else if v >= 0xC0 && v <= 0x17F && v != 0x130 {
                guard s.properties.isAlphabetic else {
                    if !current.isEmpty { out.append(String(current)); current = String.UnicodeScalarView() }
                    continue
                }
                let mapped = s.properties.lowercaseMapping.unicodeScalars
                guard mapped.count == 1, let m = mapped.first else { return nil }
                lower = m
            } else {
                return nil
            }
            current.append(lower)
        }
        if !current.isEmpty { out.append(String(current)) }
        return out
    }

    /// Stemmed terms for indexing.
    public static func terms(_ text: String) -> [String] {
        words(text).map(WordMemo.shared.stem)
    }

    /// The text with the later parts of its compound words added ("Afasiföreningen" also as "föreningen"), so that
    /// a search for a part finds the whole. Both indexes store this.
    public static func withCompoundParts(_ text: String) -> String {
        let extra = words(text).flatMap(WordMemo.shared.laterParts).joined(separator: " ")
        return extra.isEmpty ? text : text + " " + extra
    }

    /// Index text: stemmed terms joined by spaces.
    public static func indexText(_ text: String) -> String {
        terms(text).joined(separator: " ")
    }
}

/// The Snowball Swedish stemmer (https://snowballstem.org/algorithms/swedish/stemmer.html).
public enum SwedishStemmer {
    private static let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y", "ä", "å", "ö"]
    private static let sEndings: Set<Character> = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "o", "p", "r", "t", "v", "y"]
    // Longest first, so the first match is the longest.
    private static let step1Suffixes: [String] = [
        "heterna", "hetens", "anden", "heten", "heter", "arnas", "ernas", "ornas", "andes", "arens", "andet",
        "arna", "erna", "orna", "ande", "arne", "aste", "aren", "ades", "erns",
        "ade", "are", "ern", "ens", "het", "ast",
        "ad", "en", "ar", "er", "or", "as", "es", "at",
        "a", "e",
    ]
    private static let step2Endings: [String] = ["dd", "gd", "nn", "dt", "gt", "kt", "tt"]
    // The same as characters, compared without building a string per suffix (the import stems millions of words).
    private static let step1Chars: [[Character]] = step1Suffixes.map { Array($0) }
    private static let step2Chars: [[Character]] = step2Endings.map { Array($0) }
    private static let step3Chars: [(suffix: [Character], remove: Int)] = [("fullt", 1), ("löst", 1), ("lig", 3), ("els", 3), ("ig", 2)].map { (Array($0.0), $0.1) }

    private static func hasSuffix(_ w: [Character], from start: Int, _ suffix: [Character]) -> Bool {
        w.count - start >= suffix.count && w[(w.count - suffix.count)...].elementsEqual(suffix)
    }

    public static func stem(_ word: String) -> String {
        var w = Array(word)
        guard w.count > 2 else { return word }
        let r1 = region1(w)

        // Step 1: main suffixes in R1.
        if let suffix = step1Chars.first(where: { hasSuffix(w, from: r1, $0) }) {
            w.removeLast(suffix.count)
        } else if w.count > r1, w.last == "s", w.count >= 2, sEndings.contains(w[w.count - 2]) {
            w.removeLast()
        }

        // Step 2: consonant pairs in R1.
        if w.count > r1, step2Chars.contains(where: { hasSuffix(w, from: r1, $0) }) { w.removeLast() }

        // Step 3: other suffixes in R1.
        if w.count > r1, let rule = step3Chars.first(where: { hasSuffix(w, from: r1, $0.suffix) }) { w.removeLast(rule.remove) }
        return String(w)
    }

    /// R1 starts after the first non-vowel that follows a vowel, but no earlier than index 3.
    static func region1(_ w: [Character]) -> Int {
        var i = 1
        while i < w.count {
            if !vowels.contains(w[i]) && vowels.contains(w[i - 1]) {
                return max(i + 1, 3)
            }
            i += 1
        }
        return w.count
    }
}

/// Stems and compound parts of words seen lately. Both are pure functions of the word, and words repeat: the
/// 300,000 names of an import hold a few hundred distinct words besides their numbers. Numbers are not kept.
final class WordMemo: @unchecked Sendable {
    static let shared = WordMemo()
    private let lock = NSLock()
    private var stems: [String: String] = [:]
    private var parts: [String: [String]] = [:]
    private let limit = 20_000

    private static func worthKeeping(_ word: String) -> Bool { !word.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }

    func stem(_ word: String) -> String {
        memo(word, in: \.stems, SwedishStemmer.stem)
    }

    func laterParts(_ word: String) -> [String] {
        memo(word, in: \.parts, SwedishCompounds.laterParts)
    }

    private func memo<V>(_ word: String, in table: ReferenceWritableKeyPath<WordMemo, [String: V]>, _ make: (String) -> V) -> V {
        guard Self.worthKeeping(word) else { return make(word) }
        lock.lock()
        if let v = self[keyPath: table][word] {
            lock.unlock()
            return v
        }
        lock.unlock()
        let v = make(word)
        lock.lock()
        if self[keyPath: table].count >= limit { self[keyPath: table].removeAll(keepingCapacity: true) }
        self[keyPath: table][word] = v
        lock.unlock()
        return v
    }
}
