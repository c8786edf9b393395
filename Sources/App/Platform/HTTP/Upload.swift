import Foundation
import Vapor

/// Receives a request body to a temporary file without holding it in memory.
public enum Upload {
    static let maxBytes = 200 * 1024 * 1024

    public static func streamToTemporaryFile(_ req: Request) async throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("samverka-upload-\(UUID().uuidString).csv").path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw AppError(.internalServerError, "Kunde inte ta emot filen.")
        }
        defer { try? handle.close() }
        var total = 0
        do {
            for try await var chunk in req.body {
                total += chunk.readableBytes
                if total > maxBytes { throw AppError(.payloadTooLarge, "Filen är större än 200 MB.") }
                if let bytes = chunk.readBytes(length: chunk.readableBytes) { try handle.write(contentsOf: bytes) }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return path
    }
}
