import Fluent
import Vapor
import SamverkaRules

/// The personal data Grants keeps about a user — the reviews they were assigned (with their jäv declarations) and the
/// applications they started for an organisation — contributed to the account's register, export and erasure.
enum GrantsPersonalData {
    static let erased = "Raderad"

    static let contributor = PersonalDataContributor(
        entries: [
            .init(table: "grant_reviews", field: "jav_reason, jav_withdrawal_reason", key: "grant_reviews.jav_reason"),
            .init(table: "grant_applications", field: "created_by", key: "grant_applications.created_by"),
        ],
        export: { userID, _, db in
            let reviews = try await GrantReview.query(on: db).filter(\.$reviewerID == userID).all()
            let apps = try await GrantApplication.query(on: db).filter(\.$createdBy == userID).all()
            return [("grants", [
                "reviews": .array(reviews.map { r in
                    ["applicationId": .string(r.applicationID.uuidString), "jav": r.jav.map { .bool($0) } ?? .null, "javReason": .string(r.javReason),
                     "javWithdrawalReason": .string(r.javWithdrawalReason), "scores": .object(r.scoreMap.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }),
                     "comment": .string(r.comment), "completed": .bool(r.completedAt != nil)]
                }),
                "applicationsCreated": .array(apps.map { a in
                    ["id": .string(a.id?.uuidString ?? ""), "callId": .string(a.callID.uuidString), "organisationId": .string(a.organisationID.uuidString),
                     "status": .string(a.status.rawValue), "diarienummer": a.diarienummer.map { .string($0) } ?? .null]
                }),
            ])]
        },
        erase: { userID, _, ctx in
            for r in try await GrantReview.query(on: ctx.db).filter(\.$reviewerID == userID).all() where !r.javReason.isEmpty || !r.javWithdrawalReason.isEmpty {
                if !r.javReason.isEmpty { r.javReason = erased }
                if !r.javWithdrawalReason.isEmpty { r.javWithdrawalReason = erased }
                try await r.save(on: ctx.db)
            }
            try await GrantApplication.query(on: ctx.db).filter(\.$createdBy == userID).set(\.$createdBy, to: nil).update()
        })
}
