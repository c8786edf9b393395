import Fluent
import Vapor
import SamverkaRules

/// Files with a report (redovisning): a participant list, receipts, an audited statement. The organisation adds them
/// while the report is still owed (also after completion was asked for); they are read by whoever may read the case.
enum ReportAttachments {
    static func add(reportID: UUID, filename: String, contentType: String, data: Data, in ctx: WriteContext) async throws -> GrantAttachment {
        guard let r = try await GrantReport.find(reportID, on: ctx.db), let d = try await GrantDecision.find(r.decisionID, on: ctx.db) else { throw AppError.notFound() }
        guard Policy.allows(ctx.actor, .grantsApply, .organisation(r.organisationID)) else { throw AppError.forbidden() }
        guard r.status == .pending || r.status == .completionRequested else {
            throw AppError(.conflict, "Redovisningen är redan inskickad.", fields: [FieldError(field: "status", code: "reportSubmitted")])
        }
        var errors = FieldErrors()
        let checked = UploadRules.check(filename: filename, contentType: contentType, size: data.count, maxMB: ApplicationService.defaultMaxMB,
                                        accepted: UploadRules.documentTypes, errors: &errors)
        try errors.throwIfAny()
        let f = GrantAttachment()
        f.id = UUID()
        f.applicationID = d.applicationID
        f.reportID = reportID
        f.kind = "report"
        f.filename = checked.filename
        f.contentType = checked.contentType
        f.size = data.count
        f.data = data
        f.uploadedBy = ctx.actor.userID
        try await f.create(on: ctx.db)
        ctx.audit("create", "grantAttachment", f.id!.uuidString, before: nil,
                  after: AuditSnapshot(["reportId": .string(reportID.uuidString), "filename": .string(f.filename), "size": .int(data.count)]))
        return f
    }
}
