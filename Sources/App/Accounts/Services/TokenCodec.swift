import Crypto
import Foundation
import SamverkaRules


/// Random tokens and their stored hashes.
enum TokenCodec {
    /// A new random token: 32 bytes, base64url, with a readable prefix (`svk_` for API tokens).
    static func generate(prefix: String = "") -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return prefix + Data(bytes).base64URLEncodedString()
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
