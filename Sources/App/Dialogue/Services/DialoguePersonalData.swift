import Fluent
import Vapor
import SamverkaRules

/// The personal data Dialogue keeps about a user, contributed to the account's register, export and erasure
/// through Accounts' hook (`AccountHooks.personalData`).
enum DialoguePersonalData {
    static let contributor = PersonalDataContributor(
        entries: entries,
        export: { userID, email, db in [("dialogue", .object(try await export(userID: userID, email: email, on: db)))] },
        erase: { userID, email, ctx in try await erase(userID: userID, email: email, on: ctx.db) })

    static let entries: [PersonalDataRegister.Entry] = [
        .init(table: "forum_seats", field: "holder_name, holder_email", key: "forum_seats.holder_name"),
        .init(table: "questions", field: "asker_name", key: "questions.asker_name"),
        .init(table: "event_registrations", field: "name, email, needs", key: "event_registrations.name", args: [String(RetentionRules.eventRegistrationDays)]),
        .init(table: "calendar_feeds", field: "token_hash", key: "calendar_feeds.token_hash"),
    ]

    static func export(userID: UUID, email: String, on db: any Database) async throws -> [(String, JSONValue)] {
        let seats = try await ForumSeat.query(on: db).group(.or) { $0.filter(\.$userID == userID).filter(\.$holderEmail == email) }.all()
        let questions = try await DialogueQuestion.query(on: db).filter(\.$askedBy == userID).all()
        let regs = try await EventRegistration.query(on: db).filter(\.$userID == userID).all()
        return [
            ("forumSeats", .array(seats.map { ["forumId": .string($0.forumID.uuidString), "holderName": .string($0.holderName), "holderEmail": .string($0.holderEmail),
                                               "position": .string($0.position.rawValue), "termFrom": .string($0.termFrom), "termTo": $0.termTo.map { .string($0) } ?? .null] })),
            ("questions", .array(questions.map { ["id": .string($0.id!.uuidString), "title": .string($0.title), "text": .string($0.text), "raisedOn": .string($0.raisedOn),
                                                   "status": .string($0.status.rawValue), "answer": .string($0.answer)] })),
            ("eventRegistrations", .array(regs.map { ["eventId": .string($0.eventID.uuidString), "name": .string($0.name), "email": .string($0.email),
                                                       "needs": .string($0.needs), "status": .string($0.status.rawValue)] })),
            ("calendarFeed", .bool(try await CalendarFeed.query(on: db).filter(\.$userID == userID).count() > 0)),
        ]
    }

    static func erase(userID: UUID, email: String, on db: any Database) async throws {
        for s in try await ForumSeat.query(on: db).group(.or) { $0.filter(\.$userID == userID).filter(\.$holderEmail == email) }.all() {
            s.holderName = "Raderad person"
            s.holderEmail = ""
            s.userID = nil
            try await s.save(on: db)
        }
        try await DialogueQuestion.query(on: db).filter(\.$askedBy == userID).set(\.$askerName, to: "Raderad användare").set(\.$askedBy, to: nil).update()
        try await EventRegistration.query(on: db).filter(\.$userID == userID).delete()
        try await CalendarFeed.query(on: db).filter(\.$userID == userID).delete()
    }
}
