import App
import Logging
import Vapor
import SamverkaRules

@main
enum Entrypoint {
    static func main() async throws {
        var env = try Environment.detect()
        let command = env.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? "serve"
        let config = AppConfig.fromEnvironment(command: command)
        if config.logFormat == .json {
            LoggingSystem.bootstrap { label in
                var h = JSONLogHandler(label: label)
                h.logLevel = Logger.Level(rawValue: Environment.get("LOG_LEVEL") ?? "info") ?? .info
                return h
            }
        } else {
            try LoggingSystem.bootstrap(from: &env)
        }
        let app = try await Application.make(env)
        // A failure (a rejected import, a bad argument, no database) is reported in one line and ends with
        // exit status 1, not with a crash report. `execute` reports its commands' errors itself.
        do {
            try await configure(app, config: config)
            Commands.register(app)
            if command == "serve" { try await prepareForServing(app) }
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            exit(1)
        }
        do {
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            exit(1)
        }
        do {
            try await app.asyncShutdown()
        } catch {
            // The command's work is done and committed; a connection that fails to close is worth a line.
            app.logger.warning("Shutdown: \(String(reflecting: error))")
        }
    }
}
