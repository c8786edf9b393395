import Foundation
/// A sort key that orders names as a Swedish reader expects (… x, y, z, å, ä, ö; case-insensitive),
/// using plain byte comparison in either database.
public enum SwedishCollation {
    public static func key(_ s: String) -> String {
        var out = ""
        for ch in s.lowercased() {
            switch ch {
            case "å": out += "{"
            case "ä", "æ": out += "|"
            case "ö", "ø": out += "}"
            case "é", "è", "ê", "ë": out += "e"
            case "á", "à", "â": out += "a"
            case "ü": out += "y"
            default: out.append(ch)
            }
        }
        return out
    }
}
