import Fluent
import SQLKit
import NIOCore
import NIOPosix
import NIOSSL
import Vapor
import SamverkaRules

/// An e-mail message.
public struct MailMessage: Sendable, Equatable {
    public var to: String
    public var subject: String
    public var body: String
}

/// Delivers e-mail. `FileMailer` (the default) writes each message to a file so that demo users and
/// tests see every message; `SMTPMailer` talks to a relay configured by `SMTP_HOST`.
public protocol Mailer: Sendable {
    func send(_ message: MailMessage, from: String) async throws
}

public struct FileMailer: Mailer {
    let directory: String
    let logger: Logger

    public func send(_ message: MailMessage, from: String) async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let stamp = AuditChain.timestamp(Date()).replacingOccurrences(of: ":", with: "")
        let safe = message.to.filter { $0.isLetter || $0.isNumber || $0 == "@" || $0 == "." || $0 == "-" }
        let path = "\(directory)/\(stamp)-\(safe)-\(UUID().uuidString.prefix(8)).eml"
        let text = "From: \(from)\nTo: \(message.to)\nSubject: \(message.subject)\nContent-Type: text/plain; charset=utf-8\n\n\(message.body)\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        logger.info("mail written", metadata: ["to": .string(message.to), "subject": .string(message.subject), "file": .string(path)])
    }
}

/// A minimal SMTP client (RFC 5321): EHLO, optional AUTH PLAIN, MAIL/RCPT/DATA. Implicit TLS when
/// `SMTP_TLS=1` (port 465); plain otherwise (a relay on a trusted network).
public struct SMTPMailer: Mailer {
    let host: String
    let port: Int
    let useTLS: Bool
    let username: String?
    let password: String?

    public func send(_ message: MailMessage, from: String) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if useTLS {
                        let ctx = try NIOSSLContext(configuration: .makeClientConfiguration())
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: ctx, serverHostname: host))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            func expect(_ code: String) async throws {
                while let line = try await lines.next() {
                    guard line.hasPrefix(code) else { throw Abort(.badGateway, reason: "SMTP: \(line)") }
                    if line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] != "-" { return }
                }
                throw Abort(.badGateway, reason: "SMTP: connection closed")
            }
            func say(_ text: String) async throws { try await outbound.write(ByteBuffer(string: text + "\r\n")) }
            try await expect("220")
            try await say("EHLO samverka")
            try await expect("250")
            if let username, let password {
                let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
                try await say("AUTH PLAIN \(token)")
                try await expect("235")
            }
            try await say("MAIL FROM:<\(from)>")
            try await expect("250")
            try await say("RCPT TO:<\(message.to)>")
            try await expect("25")
            try await say("DATA")
            try await expect("354")
            let body = message.body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
            let subject = "=?utf-8?B?\(Data(message.subject.utf8).base64EncodedString())?="
            try await say("From: \(from)\r\nTo: \(message.to)\r\nSubject: \(subject)\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\(body)\r\n.")
            try await expect("250")
            try await say("QUIT")
        }
    }

    struct LineDecoder: ByteToMessageDecoder {
        typealias InboundOut = String
        func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
            guard let i = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return .needMoreData }
            let length = i - buffer.readerIndex + 1
            let line = (buffer.readString(length: length) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            context.fireChannelRead(wrapInboundOut(line))
            return .continue
        }
    }
}

extension Application {
    public var mailer: any Mailer {
        let c = config
        if let host = c.smtpHost {
            return SMTPMailer(host: host, port: c.smtpPort, useTLS: c.smtpTLS, username: c.smtpUser, password: c.smtpPassword)
        }
        return FileMailer(directory: c.mailDirectory, logger: logger)
    }
}

