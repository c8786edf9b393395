import Vapor

extension Response {
    /// A stored file as a download; quotes and line breaks are taken out of the file name so the header stays one header.
    static func download(_ data: Data, filename: String, contentType: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename.filter { $0 != "\"" && !$0.isNewline })\"")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
