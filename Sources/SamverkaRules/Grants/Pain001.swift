import Foundation

/// An account money can be sent to from a Swedish bank: a bankgiro number (NNN-NNNN or NNNN-NNNN), a plusgiro number
/// (digits with a hyphen before the check digit, e.g. 12 34 56-7), or an IBAN. Check digits are verified.
public struct PaymentAccount: Sendable, Equatable {
    public enum Kind: String, Sendable { case bankgiro, plusgiro, iban }
    public var kind: Kind
    /// Digits only (bankgiro, plusgiro) or the IBAN without spaces in capitals.
    public var id: String

    public static func parse(_ raw: String) -> PaymentAccount? {
        let compact = raw.filter { !$0.isWhitespace }
        guard !compact.isEmpty else { return nil }
        let upper = compact.uppercased()
        if upper.count >= 15, upper.prefix(2).allSatisfy({ $0.isASCII && $0.isLetter }) {
            return ibanValid(upper) ? PaymentAccount(kind: .iban, id: upper) : nil
        }
        let parts = compact.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        let digits = parts.joined()
        if parts[1].count == 4, (3...4).contains(parts[0].count), luhn(digits) { return PaymentAccount(kind: .bankgiro, id: digits) }
        if parts[1].count == 1, (1...7).contains(parts[0].count), luhn(digits) { return PaymentAccount(kind: .plusgiro, id: digits) }
        return nil
    }

    /// Mod 10 with weights 1, 2, 1 … from the right (bankgiro, plusgiro).
    static func luhn(_ digits: String) -> Bool {
        var sum = 0
        for (i, ch) in digits.reversed().enumerated() {
            guard let d = ch.wholeNumberValue else { return false }
            var p = i % 2 == 1 ? d * 2 : d
            if p > 9 { p -= 9 }
            sum += p
        }
        return sum % 10 == 0
    }

    /// ISO 13616: length 15–34, letters and digits, mod 97 of the rearranged number is 1 (SE: 24 characters).
    static func ibanValid(_ iban: String) -> Bool {
        guard (15...34).contains(iban.count), iban.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isUppercase) }) else { return false }
        if iban.hasPrefix("SE") && iban.count != 24 { return false }
        let rearranged = iban.dropFirst(4) + iban.prefix(4)
        var remainder = 0
        for ch in rearranged {
            let value: Int
            if let d = ch.wholeNumberValue { value = d } else if let a = ch.asciiValue { value = Int(a) - 55 } else { return false }
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97
        }
        return remainder == 1
    }
}

/// An ISO 20022 customer credit transfer initiation (`pain.001.001.03`), the payment file Swedish banks take: one
/// payment group per execution date, each transfer with its end-to-end id, amount in SEK, creditor and reference.
public enum Pain001 {
    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"

    public struct Party: Sendable, Equatable {
        public var name: String
        /// Organisationsnummer, digits only (optional).
        public var organisationNumber: String?
        public var account: PaymentAccount
        public init(name: String, organisationNumber: String?, account: PaymentAccount) {
            self.name = name
            self.organisationNumber = organisationNumber
            self.account = account
        }
    }

    public struct Transfer: Sendable, Equatable {
        public var endToEndID: String
        public var amountOre: Int
        public var creditor: Party
        /// Remittance text for the recipient (diarienummer, programme); at most 140 characters are sent.
        public var reference: String
        public var dueOn: LocalDate
        public init(endToEndID: String, amountOre: Int, creditor: Party, reference: String, dueOn: LocalDate) {
            self.endToEndID = endToEndID
            self.amountOre = amountOre
            self.creditor = creditor
            self.reference = reference
            self.dueOn = dueOn
        }
    }

    /// The execution date of a transfer: its due date, or today when that has passed (a bank refuses past dates).
    public static func executionDate(dueOn: LocalDate, today: LocalDate) -> LocalDate { max(dueOn, today) }

    /// The XML document. `created` is written in UTC without a zone, as ISODateTime allows.
    public static func document(messageID: String, created: Date, debtor: Party, transfers: [Transfer], today: LocalDate) -> String {
        let total = transfers.reduce(0) { $0 + $1.amountOre }
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"\(namespace)\">\n<CstmrCdtTrfInitn>\n"
        x += "<GrpHdr><MsgId>\(text(messageID, 35))</MsgId><CreDtTm>\(timestamp(created))</CreDtTm>"
        x += "<NbOfTxs>\(transfers.count)</NbOfTxs><CtrlSum>\(amount(total))</CtrlSum>"
        x += "<InitgPty><Nm>\(text(debtor.name, 70))</Nm>\(organisationID(debtor.organisationNumber))</InitgPty></GrpHdr>\n"
        let groups = Dictionary(grouping: transfers) { executionDate(dueOn: $0.dueOn, today: today) }
        for (i, day) in groups.keys.sorted().enumerated() {
            let list = groups[day] ?? []
            x += "<PmtInf><PmtInfId>\(text(messageID, 30))-\(i + 1)</PmtInfId><PmtMtd>TRF</PmtMtd>"
            x += "<NbOfTxs>\(list.count)</NbOfTxs><CtrlSum>\(amount(list.reduce(0) { $0 + $1.amountOre }))</CtrlSum>"
            x += "<PmtTpInf><SvcLvl><Cd>NURG</Cd></SvcLvl></PmtTpInf><ReqdExctnDt>\(day)</ReqdExctnDt>"
            x += "<Dbtr><Nm>\(text(debtor.name, 70))</Nm>\(organisationID(debtor.organisationNumber))</Dbtr>"
            x += "<DbtrAcct>\(accountID(debtor.account))<Ccy>SEK</Ccy></DbtrAcct>"
            x += "<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt><ChrgBr>SLEV</ChrgBr>\n"
            for t in list {
                x += "<CdtTrfTxInf><PmtId><EndToEndId>\(text(t.endToEndID, 35))</EndToEndId></PmtId>"
                x += "<Amt><InstdAmt Ccy=\"SEK\">\(amount(t.amountOre))</InstdAmt></Amt>"
                if t.creditor.account.kind == .plusgiro {
                    // Plusgiro is reached through its clearing number in the Swedish bank clearing system.
                    x += "<CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>SESBA</Cd></ClrSysId><MmbId>9960</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>"
                }
                x += "<Cdtr><Nm>\(text(t.creditor.name, 70))</Nm>\(organisationID(t.creditor.organisationNumber))</Cdtr>"
                x += "<CdtrAcct>\(accountID(t.creditor.account))</CdtrAcct>"
                x += "<RmtInf><Ustrd>\(text(t.reference, 140))</Ustrd></RmtInf></CdtTrfTxInf>\n"
            }
            x += "</PmtInf>\n"
        }
        return x + "</CstmrCdtTrfInitn>\n</Document>\n"
    }

    static func accountID(_ a: PaymentAccount) -> String {
        switch a.kind {
        case .iban: return "<Id><IBAN>\(a.id)</IBAN></Id>"
        case .bankgiro: return "<Id><Othr><Id>\(a.id)</Id><SchmeNm><Prtry>BGNR</Prtry></SchmeNm></Othr></Id>"
        case .plusgiro: return "<Id><Othr><Id>\(a.id)</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id>"
        }
    }

    static func organisationID(_ orgnr: String?) -> String {
        guard let orgnr, !orgnr.isEmpty else { return "" }
        return "<Id><OrgId><Othr><Id>\(text(orgnr, 35))</Id></Othr></OrgId></Id>"
    }

    /// Öre as a decimal amount with two decimals (`80000.00`).
    public static func amount(_ ore: Int) -> String { "\(ore / 100).\(String(format: "%02d", ore % 100))" }

    static func timestamp(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return f.string(from: d)
    }

    /// XML-escaped, without control characters, cut to `max` characters (ISO text lengths count characters).
    static func text(_ s: String, _ max: Int) -> String {
        let clean = String(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init)).trimmingCharacters(in: .whitespaces)
        let cut = String((clean.isEmpty ? "-" : clean).prefix(max))
        return cut.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&apos;")
    }
}
