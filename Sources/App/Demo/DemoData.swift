import Fluent
import Vapor

enum DemoData {
    static func loadIfFirstStart(_ app: Application) async throws {}
}
