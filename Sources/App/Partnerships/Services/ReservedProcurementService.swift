import Fluent
import Vapor
import SamverkaRules

extension ReservedProcurement: Auditable {
    static var auditEntityType: String { "reservedProcurement" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["contract": .string(contract), "object": .string(object), "supplierId": .string(supplierID?.uuidString ?? ""), "valueOre": .int(valueOre),
                       "periodFrom": .string(periodFrom), "periodTo": .string(periodTo), "legalBasis": .string(legalBasis), "decision": .string(decision)])
    }
}

struct ReservedProcurementBody: Content, Sendable {
    var bodyId: String?
    var contract: String?
    var object: String?
    var supplierId: String?
    var valueOre: Int?
    var periodFrom: String?
    var periodTo: String?
    var legalBasis: String?
    var decision: String?
    var version: Int?
}

struct ReservedProcurementDTO: Content, Sendable {
    var id: UUID
    var bodyId: UUID
    var bodyName: String
    var contract: String
    var object: String
    var supplierId: UUID?
    var supplierName: String?
    var valueOre: Int
    var periodFrom: String
    var periodTo: String
    var legalBasis: String
    var decision: String
    var isDemo: Bool
    var version: Int
}

/// The register of procurements reserved for idéburna organisations: public by nature (it is about public contracts).
enum ReservedProcurementService {
    /// LOU 4 kap. 18 § (reserved for sheltered employment) and 19 kap. 25 a § (health, social and cultural services).
    static let bases = ["LOU 4 kap. 18 §", "LOU 19 kap. 25 a §"]

    static func procurementScope(_ req: Request) async throws -> ResourceScope {
        .body(try await ReservedProcurement.require(try req.parameters.require("id", as: UUID.self), on: req.db).bodyID, unitPath: [])
    }

    static func save(_ id: UUID?, _ b: ReservedProcurementBody, isDemo: Bool = false, in ctx: WriteContext) async throws -> ReservedProcurement {
        let existing: ReservedProcurement? = try await id.asyncFlatMap { try await ReservedProcurement.require($0, on: ctx.db) }
        if let existing {
            guard Policy.allows(ctx.actor, .partnershipsManage, .body(existing.bodyID, unitPath: [])) else { throw AppError.forbidden() }
            guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
            guard v == existing.version else { throw AppError.staleVersion() }
        }
        var errors = FieldErrors()
        var bodyID = existing?.bodyID
        if existing == nil {
            if let raw = b.bodyId, let u = UUID(uuidString: raw), try await DirectoryQueries.bodyExists(u, on: ctx.db) { bodyID = u }
            else { errors.add("bodyId", code: b.bodyId == nil ? "required" : "notFound") }
        } else if let raw = b.bodyId, !raw.isEmpty, raw.uppercased() != existing?.bodyID.uuidString { errors.add("bodyId", code: "fixed") }
        let contract = TextRules.line(b.contract ?? existing?.contract, field: "contract", max: 200, required: true, min: 3, errors: &errors)
        let object = TextRules.paragraph(b.object ?? existing?.object, field: "object", max: 2000, required: true, errors: &errors)
        var supplier = existing?.supplierID
        if let raw = b.supplierId {
            if raw.isEmpty { supplier = nil }
            else if let u = UUID(uuidString: raw), try await DirectoryQueries.organisationExists(u, on: ctx.db) { supplier = u }
            else { errors.add("supplierId", code: "notFound") }
        }
        let value = b.valueOre ?? existing?.valueOre ?? 0
        if !(0...Money.maxOre).contains(value) { errors.add("valueOre", code: "range", "0", String(Money.maxOre)) }
        let from = TextRules.date(b.periodFrom ?? existing?.periodFrom, field: "periodFrom", required: true, errors: &errors)
        let to = TextRules.date(b.periodTo ?? existing?.periodTo, field: "periodTo", required: true, errors: &errors)
        if let from, let to, to < from { errors.add("periodTo", code: "periodOrder") }
        let basis = b.legalBasis ?? existing?.legalBasis ?? ""
        if !bases.contains(basis) { errors.add("legalBasis", code: "oneOf", bases.joined(separator: ", ")) }
        let decision = TextRules.line(b.decision ?? existing?.decision, field: "decision", max: 300, required: true, errors: &errors)
        try errors.throwIfAny()
        guard let bodyID else { throw AppError.invalid(field: "bodyId", code: "required") }
        guard Policy.allows(ctx.actor, .partnershipsManage, .body(bodyID, unitPath: [])) else { throw AppError.forbidden() }
        let r = existing ?? ReservedProcurement()
        let before = existing?.auditSnapshot
        if existing == nil { r.id = UUID(); r.bodyID = bodyID; r.isDemo = isDemo; r.version = 1 } else { r.version += 1 }
        r.contract = contract; r.object = object; r.supplierID = supplier; r.valueOre = value
        r.periodFrom = from?.description ?? ""; r.periodTo = to?.description ?? ""; r.legalBasis = basis; r.decision = decision
        try await r.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", r, id: r.id, before: before)
        return r
    }

    static func list(bodyID: UUID?, inForceOn day: LocalDate?, on db: any Database) async throws -> [ReservedProcurement] {
        var q = ReservedProcurement.query(on: db).sort(\.$periodFrom, .descending)
        if let bodyID { q = q.filter(\.$bodyID == bodyID) }
        if let day { q = q.filter(\.$periodFrom <= day.description).filter(\.$periodTo >= day.description) }
        return try await q.all()
    }

    static func dtos(_ list: [ReservedProcurement], on db: any Database) async throws -> [ReservedProcurementDTO] {
        let bodies = try await DirectoryQueries.bodyNames(list.map(\.bodyID), on: db)
        let orgs = try await DirectoryQueries.organisationNames(list.compactMap(\.supplierID), on: db)
        return list.compactMap { r in
            r.id.map { ReservedProcurementDTO(id: $0, bodyId: r.bodyID, bodyName: bodies[r.bodyID] ?? "", contract: r.contract, object: r.object, supplierId: r.supplierID,
                                              supplierName: r.supplierID.flatMap { orgs[$0] }, valueOre: r.valueOre, periodFrom: r.periodFrom, periodTo: r.periodTo,
                                              legalBasis: r.legalBasis, decision: r.decision, isDemo: r.isDemo, version: r.version) }
        }
    }

    static func csv(_ list: [ReservedProcurementDTO]) -> String {
        let w = CSVWriter()
        var out = CSVWriter.bom + w.row(["id", "myndighet", "kontrakt", "föremål", "leverantör", "värde (kr)", "från", "till", "rättslig grund", "beslut"])
        for r in list {
            out += w.row([r.id.uuidString, r.bodyName, r.contract, r.object, r.supplierName ?? "", Money.decimal(r.valueOre), r.periodFrom, r.periodTo, r.legalBasis, r.decision],
                         numeric: [5])
        }
        return out
    }
}
