import Foundation

/// Turns Swedish text into search terms: lower-cased words (å, ä and ö kept as their own letters),
/// stemmed with the Snowball Swedish algorithm. The SQLite index stores and queries these terms;
/// PostgreSQL does the same work itself with the `swedish` text search configuration.
public enum SwedishAnalyzer {
    /// Words of the text, lower-cased, split on anything that is not a letter or digit.
    public static func words(_ text: String) -> [String] {
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

    /// Stemmed terms for indexing.
    public static func terms(_ text: String) -> [String] {
        words(text).map(SwedishStemmer.stem)
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

    public static func stem(_ word: String) -> String {
        var w = Array(word)
        guard w.count > 2 else { return word }
        let r1 = region1(w)

        // Step 1: main suffixes in R1.
        let r1Suffix = Array(w[r1...])
        if let suffix = step1Suffixes.first(where: { r1Suffix.count >= $0.count && String(r1Suffix.suffix($0.count)) == $0 }) {
            w.removeLast(suffix.count)
        } else if r1Suffix.last == "s", w.count >= 2, sEndings.contains(w[w.count - 2]) {
            w.removeLast()
        }

        // Step 2: consonant pairs in R1.
        if w.count > r1 {
            let tail = String(w[r1...])
            if step2Endings.contains(where: { tail.hasSuffix($0) }) { w.removeLast() }
        }

        // Step 3: other suffixes in R1.
        if w.count > r1 {
            let tail = String(w[r1...])
            if tail.hasSuffix("fullt") { w.removeLast() }
            else if tail.hasSuffix("löst") { w.removeLast() }
            else if tail.hasSuffix("lig") { w.removeLast(3) }
            else if tail.hasSuffix("els") { w.removeLast(3) }
            else if tail.hasSuffix("ig") { w.removeLast(2) }
        }
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
