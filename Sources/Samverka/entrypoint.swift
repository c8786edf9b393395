import App
import Logging
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        var env = try Environment.detect()
        let config = AppConfig.fromEnvironment()
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
        do {
            try await configure(app, config: config)
            Commands.register(app)
            let command = app.environment.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? "serve"
            if command == "serve" { try await prepareForServing(app) }
            try await app.execute()
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
