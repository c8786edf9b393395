import Foundation

/// Swedish writes compounds as one word ("Afasiföreningen", "Idrottsförbundet"), so a search for "förening" or
/// "förbund" would miss them: a prefix search only finds the first part. This splits words at the start of a known
/// last part (a head: förening, förbund, klubb, råd …), longest match first, also after a linking s, and gives
/// the remaining parts as extra search terms. The first part is not needed (a prefix search finds it).
public enum SwedishCompounds {
    /// Heads common in the names and descriptions of associations, federations and public units. Lower case.
    public static let heads: [String] = [
        "förening", "föreningar", "förbund", "riksförbund", "distrikt", "klubb", "sällskap", "råd", "organisation",
        "nätverk", "centrum", "center", "kyrka", "församling", "samfund", "gille", "kår", "akademi", "stiftelse",
        "ungdom", "ungdomar", "pensionär", "pensionärer", "idrott", "kultur", "musik", "teater", "dans", "konst", "hembygd",
        "byalag", "scout", "scouter", "kör", "orkester", "jakt", "fiske", "skytte", "ryttare", "golf", "fotboll", "handboll",
        "innebandy", "hockey", "bandy", "tennis", "simning", "brottning", "cykel", "motor", "segling", "kanot", "bridge",
        "schack", "bygdegård", "studie", "bildning", "hjälp", "stöd", "jour", "kvinnor", "tjejer", "anhöriga", "brukare",
        "patient", "patienter", "hörsel", "syn", "döva", "reuma", "diabetes", "hjärt", "lung", "cancer", "astma", "allergi",
        "autism", "afasi", "neuro", "hälsa", "invandrare", "flykting", "integration", "funktionsrätt", "funktionshinder",
        "handikapp", "nykterhet", "miljö", "natur", "djur", "fritid", "folkhälsa", "samverkan", "samordning", "utveckling",
        "nämnd", "nämnden", "kontor", "kontoret", "enhet", "enheten", "förvaltning", "förvaltningen", "avdelning",
        "styrelse", "styrelsen", "verket", "service", "omsorg", "vård", "sjukvård", "tandvård", "skola", "skolor",
        "kommun", "region", "län", "bygd", "gård", "hus", "lag", "sport", "förlag", "museum", "bibliotek",
        "arkiv", "rörelse", "rörelsen", "mission", "hem", "boende", "arbete", "ledare", "ledarna", "kvinnojour", "brottsofferjour",
    ]

    /// Heads by their first two letters, longest first, so each split point costs a dictionary lookup.
    private static let headsByStart: [String: [[Character]]] = {
        var d: [String: [[Character]]] = [:]
        for h in heads { d[String(h.prefix(2)), default: []].append(Array(h)) }
        return d.mapValues { $0.sorted { $0.count > $1.count } }
    }()
    /// Splits need a first part of at least this many letters, and a word at least `minimumWord` letters.
    static let minimumFirstPart = 3
    static let minimumWord = 6

    /// The parts after the first, for a lower-cased word: "afasiföreningen" → ["föreningen"];
    /// "riksidrottsförbundet" → ["idrottsförbundet", "förbundet"]. Empty when the word is not a known compound.
    /// A head shorter than four letters (råd, kår) only counts at the end of the word, with at most a short
    /// ending ("rådet", "kåren"), so that "anslag" is not split at "lag"-like accidents inside words.
    public static func laterParts(_ word: String) -> [String] {
        let w = Array(word)
        guard w.count >= minimumWord else { return [] }
        var out: [String] = []
        var i = minimumFirstPart
        while i <= w.count - 3 {
            let key = String(w[i..<(i + 2)])
            let found = headsByStart[key]?.first { h in
                let rest = w.count - i
                guard h.count <= rest, Array(w[i..<(i + h.count)]) == h else { return false }
                return h.count >= 4 || rest - h.count <= 3
            }
            if let head = found {
                out.append(String(w[i...]))
                // Carry on inside the rest (a compound of three parts), but not inside the head just found.
                i += max(head.count - 1, 1)
            } else {
                i += 1
            }
        }
        return out
    }

    /// Extra words for a text: the later parts of each compound word, separated by spaces.
    public static func extraText(_ words: [String]) -> String {
        words.flatMap(laterParts).joined(separator: " ")
    }
}
