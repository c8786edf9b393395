import Foundation
import Vapor

/// The fields of an `application/x-www-form-urlencoded` body as name–value pairs, in order, repeated names kept
/// (checkbox groups, multiple selects). For forms whose fields are not known in advance (a survey's questions).
public enum FormPairs {
    public static func parse(_ req: Request) -> [(String, String)] {
        guard let body = req.body.string else { return [] }
        return parse(body)
    }

    public static func parse(_ body: String) -> [(String, String)] {
        body.split(separator: "&", omittingEmptySubsequences: true).prefix(5000).compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String? { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = parts.first.flatMap(decode) else { return nil }
            return (name, parts.count > 1 ? decode(parts[1]) ?? "" : "")
        }
    }
}
