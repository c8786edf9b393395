import Foundation
import Testing
@testable import SamverkaRules

@Suite("Payment accounts and the pain.001 file")
struct PaymentFileTests {
    @Test("bankgiro, plusgiro and IBAN are told apart and their check digits verified")
    func accounts() {
        #expect(PaymentAccount.parse("5050-1055") == PaymentAccount(kind: .bankgiro, id: "50501055"))
        #expect(PaymentAccount.parse("5050-1056") == nil)
        #expect(PaymentAccount.parse("505-1055") == nil)
        #expect(PaymentAccount.parse("12 34 56-6") == PaymentAccount(kind: .plusgiro, id: "1234566"))
        #expect(PaymentAccount.parse("12 34 56-7") == nil)
        #expect(PaymentAccount.parse("4 11 11-6") == PaymentAccount(kind: .plusgiro, id: "411116"))
        #expect(PaymentAccount.parse("SE45 5000 0000 0583 9825 7466") == PaymentAccount(kind: .iban, id: "SE4550000000058398257466"))
        #expect(PaymentAccount.parse("SE45 5000 0000 0583 9825 7467") == nil)
        #expect(PaymentAccount.parse("SE45 5000 0000 0583 9825 746") == nil)
        #expect(PaymentAccount.parse("") == nil)
        #expect(PaymentAccount.parse("50501055") == nil)
        #expect(PaymentAccount.parse("5050–1055") == nil)
        #expect(PaymentAccount.parse("٥٠٥٠-١٠٥٥") == nil)
    }

    @Test("the file has one group per execution day, totals that add up, escaped text and past due dates moved to today")
    func document() throws {
        let today = try #require(LocalDate("2026-12-01"))
        let debtor = Pain001.Party(name: "Region Värmland", organisationNumber: "2321000222", account: PaymentAccount(kind: .bankgiro, id: "50501055"))
        func transfer(_ id: String, _ ore: Int, _ due: String, name: String = "Afasiföreningen i Värmland", account: PaymentAccount = PaymentAccount(kind: .bankgiro, id: "50502061")) -> Pain001.Transfer {
            Pain001.Transfer(endToEndID: id, amountOre: ore, creditor: Pain001.Party(name: name, organisationNumber: "8020000009", account: account),
                             reference: "Bidrag BID-2026-0001", dueOn: LocalDate(due)!)
        }
        let xml = Pain001.document(messageID: "SAMVERKA-1", created: Date(timeIntervalSince1970: 0), debtor: debtor, transfers: [
            transfer("A", 8_000_000, "2026-11-15"),
            transfer("B", 12_345, "2026-12-01", name: "Föreningen <Ord & Handling>"),
            transfer("C", 100, "2026-12-24", account: PaymentAccount(kind: .plusgiro, id: "411116")),
        ], today: today)
        #expect(xml.contains("<NbOfTxs>3</NbOfTxs><CtrlSum>80124.45</CtrlSum>"))
        // A and B are both executed today; C on its due date.
        #expect(xml.components(separatedBy: "<PmtInf>").count - 1 == 2)
        #expect(xml.contains("<ReqdExctnDt>2026-12-01</ReqdExctnDt>") && xml.contains("<ReqdExctnDt>2026-12-24</ReqdExctnDt>"))
        #expect(xml.contains("<NbOfTxs>2</NbOfTxs><CtrlSum>80123.45</CtrlSum>"))
        #expect(xml.contains("<Nm>Föreningen &lt;Ord &amp; Handling&gt;</Nm>"))
        #expect(xml.contains("<CreDtTm>1970-01-01T00:00:00</CreDtTm>"))
        #expect(xml.contains("<Prtry>BGNR</Prtry>"))
        #expect(xml.contains("<MmbId>9960</MmbId>"))
        #expect(Pain001.amount(5) == "0.05")
        #expect(Pain001.text(String(repeating: "å", count: 200), 140).count == 140)
    }
}

@Suite("Swedish compounds")
struct SwedishCompoundTests {
    @Test("later parts of compounds, longest head first, three-part compounds, short heads only at the end")
    func parts() {
        #expect(SwedishCompounds.laterParts("afasiföreningen") == ["föreningen"])
        #expect(SwedishCompounds.laterParts("riksidrottsförbundet") == ["idrottsförbundet", "förbundet"])
        #expect(SwedishCompounds.laterParts("funktionsrättsrådet") == ["rådet"])
        #expect(SwedishCompounds.laterParts("anslagstavlan") == [])
        #expect(SwedishCompounds.laterParts("förening") == [])
        #expect(SwedishCompounds.laterParts("kår") == [])
        #expect(SwedishCompounds.extraText(["scoutkåren", "i", "kil"]) == "kåren")
    }
}
