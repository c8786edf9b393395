import Vapor

public enum Commands {
    public static func register(_ app: Application) {}
}
