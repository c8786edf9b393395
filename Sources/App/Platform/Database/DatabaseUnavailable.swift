import AsyncKit
import NIOCore
import NIOPosix
import PostgresNIO
import SQLiteNIO
import SamverkaRules

/// Recognises errors that mean "the database cannot be reached right now" (PostgreSQL stopped or restarting,
/// the pool shut down or exhausted, SQLite busy or its file unreadable). They are answered with 503 and
/// `Retry-After` instead of 500: nothing is wrong with the request, and the node reconnects by itself.
public enum DatabaseUnavailable {
    public static let retryAfterSeconds = 30

    public static func matches(_ error: any Error) -> Bool {
        switch error {
        case is ConnectionPoolTimeoutError, is ConnectionPoolError, is NIOConnectionError, is ChannelError:
            return true
        case let e as IOError:
            return [ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH].contains(e.errnoCode)
        case let e as PSQLError:
            switch e.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
                return true
            default:
                // SQLSTATE 08xxx: connection exception; 57P01–57P03: the server is shutting down or starting.
                let state = e.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("57P")
            }
        case let e as SQLiteError:
            switch e.reason {
            case .busy, .locked, .cantOpen, .ioError, .busyTimeout, .busyInRecovery, .busyInSnapshot, .ioErrorFailedRead, .ioErrorFailedWrite:
                return true
            default:
                return false
            }
        default:
            return false
        }
    }
}
