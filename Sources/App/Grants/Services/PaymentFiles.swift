import Fluent
import Vapor
import SamverkaRules

/// Files for paying out approved payments: a CSV for the finance system and an ISO 20022 `pain.001` credit transfer
/// file for the bank.
enum PaymentFiles {
    struct Line {
        var payment: GrantPayment
        var organisation: OrganisationRef?
        var programme: GrantProgramme?
        var decision: GrantDecision?
        var account: String
    }

    /// The payments with what each needs: recipient, programme, decision and the account from the application.
    static func lines(_ pays: [GrantPayment], on db: any Database) async throws -> [Line] {
        let programmes = try await GrantProgramme.query(on: db).filter(\.$id ~~ Array(Set(pays.map(\.programmeID)))).all().byID
        let decisions = try await GrantDecision.query(on: db).filter(\.$id ~~ Array(Set(pays.compactMap(\.decisionID)))).all().byID
        let accounts = try await GrantApplication.query(on: db).filter(\.$id ~~ Array(Set(decisions.values.map(\.applicationID)))).all()
            .keyed { a in a.id.map { ($0, a.payeeAccount) } }
        var orgs: [UUID: OrganisationRef] = [:]
        for id in Set(pays.map(\.organisationID)) { orgs[id] = try await DirectoryQueries.organisation(id, includingDeleted: true, on: db) }
        return pays.map { pay in
            let d = pay.decisionID.flatMap { decisions[$0] }
            return Line(payment: pay, organisation: orgs[pay.organisationID], programme: programmes[pay.programmeID], decision: d,
                        account: d.flatMap { accounts[$0.applicationID] } ?? "")
        }
    }

    /// The payment file for the finance system: approved payments, CSV with `;`.
    static func csv(_ pays: [GrantPayment], on db: any Database) async throws -> String {
        let w = CSVWriter(delimiter: .semicolon)
        var out = CSVWriter.bom + w.row(["betalnings_id", "forfallodag", "belopp_kr", "organisationsnummer", "mottagare", "konto", "program", "diarienummer", "typ"])
        for l in try await lines(pays, on: db) {
            out += w.row([l.payment.id?.uuidString ?? "", l.payment.dueOn, Money.decimal(l.payment.amountOre), l.organisation?.orgnr ?? "", l.organisation?.name ?? "",
                          l.account, l.programme?.name ?? "", l.decision?.diarienummer ?? "", l.payment.kind], numeric: [2])
        }
        return out
    }

    /// A `pain.001.001.03` file of one programme's approved payments, paid from `debtorAccount` (the body's bankgiro
    /// or IBAN). Every payment needs a valid account from its application; the file is refused (422) naming each that
    /// lacks one, rather than leaving it out silently.
    static func pain001(_ pays: [GrantPayment], programme p: GrantProgramme, debtorAccount raw: String?, today: LocalDate = .today(),
                        now: Date = Date(), on db: any Database) async throws -> String {
        var errors = FieldErrors()
        let debtorAccount = PaymentAccount.parse(raw ?? "")
        if debtorAccount == nil { errors.add("debtorAccount", code: raw?.isEmpty == false ? "payeeAccount" : "required") }
        var transfers: [Pain001.Transfer] = []
        for l in try await lines(pays, on: db) {
            guard let id = l.payment.id else { continue }
            guard let account = PaymentAccount.parse(l.account) else {
                errors.add("payments[\(id)].account", code: "payeeAccountMissing", l.organisation?.name ?? "")
                continue
            }
            let creditor = Pain001.Party(name: l.organisation?.name ?? "", organisationNumber: l.organisation?.orgnr?.filter(\.isNumber), account: account)
            let reference = ["Bidrag", l.decision?.diarienummer, p.name].compactMap { $0 }.joined(separator: " ")
            transfers.append(Pain001.Transfer(endToEndID: id.uuidString.replacingOccurrences(of: "-", with: ""), amountOre: l.payment.amountOre,
                                              creditor: creditor, reference: reference, dueOn: LocalDate(stored: l.payment.dueOn)))
        }
        if pays.isEmpty { errors.add("programme", code: "noApprovedPayments") }
        try errors.throwIfAny()
        guard let debtorAccount else { throw AppError.invalid(field: "debtorAccount", code: "required") }
        let body = try await DirectoryQueries.body(p.bodyID, on: db)
        let debtor = Pain001.Party(name: body?.name ?? p.name, organisationNumber: body?.orgnr?.filter(\.isNumber), account: debtorAccount)
        let stamp = AuditChain.timestamp(now).filter(\.isNumber).prefix(14)
        return Pain001.document(messageID: "SAMVERKA-\(stamp)-\(UUID().uuidString.prefix(8))", created: now, debtor: debtor, transfers: transfers, today: today)
    }
}
