import Vapor
import SamverkaRules

extension Response {
    /// A stored file as a download, with an RFC 6266 `Content-Disposition` (see `UploadRules.contentDisposition`).
    static func download(_ data: Data, filename: String, contentType: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: UploadRules.contentDisposition(filename))
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    /// CSV text as a download (`text/csv; charset=utf-8`).
    static func csv(_ text: String, filename: String) -> Response {
        download(Data(text.utf8), filename: filename, contentType: "text/csv; charset=utf-8")
    }
}
