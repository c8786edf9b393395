import Fluent
import Foundation
import SamverkaRules

/// A survey: its questions (JSON of `SurveyQuestion`), owner (a public body, or nil for the national level) and dates.
final class Survey: Model, @unchecked Sendable {
    static let schema = "surveys"
    var properties: [any AnyProperty] {
        [$id, $bodyID, $title, $purpose, $opensOn, $closesOn, $anonymous, $questions, $sentOn, $publishedOn, $isDemo, $version, $createdAt]
    }
    @ID(key: .id) var id: UUID?
    @OptionalField(key: "body_id") var bodyID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "purpose") var purpose: String
    @Field(key: "opens_on") var opensOn: String
    @Field(key: "closes_on") var closesOn: String
    @Field(key: "anonymous") var anonymous: Bool
    @Field(key: "questions") var questions: String
    @OptionalField(key: "sent_on") var sentOn: String?
    @OptionalField(key: "published_on") var publishedOn: String?
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var questionList: [SurveyQuestion] {
        (try? JSONDecoder().decode([SurveyQuestion].self, from: Data(questions.utf8))) ?? []
    }
}

/// Someone the survey is sent to, with the group their answers are counted in and their personal link (hashed).
final class SurveyRecipient: Model, @unchecked Sendable {
    static let schema = "survey_recipients"
    var properties: [any AnyProperty] {
        [$id, $surveyID, $kind, $refID, $name, $email, $respondentGroup, $tokenHash, $tokenExpiresOn, $invitedAt, $remindedAt, $answeredAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "survey_id") var surveyID: UUID
    /// organisation, unit or region.
    @Field(key: "kind") var kind: String
    @Field(key: "ref_id") var refID: UUID
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @Field(key: "respondent_group") var respondentGroup: String
    @OptionalField(key: "token_hash") var tokenHash: String?
    @OptionalField(key: "token_expires_on") var tokenExpiresOn: String?
    @OptionalField(key: "invited_at") var invitedAt: Date?
    @OptionalField(key: "reminded_at") var remindedAt: Date?
    @OptionalField(key: "answered_at") var answeredAt: Date?
    init() {}
}

/// One set of answers. For an anonymous survey it is not linked to the recipient who gave it.
final class SurveyRespondent: Model, @unchecked Sendable {
    static let schema = "survey_respondents"
    var properties: [any AnyProperty] { [$id, $surveyID, $respondentGroup, $label, $recipientID, $source, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "survey_id") var surveyID: UUID
    @Field(key: "respondent_group") var respondentGroup: String
    /// The respondent as a file named them, or the recipient's name for a named survey; empty when anonymous.
    @Field(key: "label") var label: String
    @OptionalField(key: "recipient_id") var recipientID: UUID?
    /// link or import.
    @Field(key: "source") var source: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class SurveyAnswer: Model, @unchecked Sendable {
    static let schema = "survey_answers"
    var properties: [any AnyProperty] { [$id, $respondentID, $surveyID, $question, $answer] }
    @ID(key: .id) var id: UUID?
    @Field(key: "respondent_id") var respondentID: UUID
    @Field(key: "survey_id") var surveyID: UUID
    @Field(key: "question") var question: String
    @Field(key: "answer") var answer: String
    init() {}
}

/// What a region answered a national survey (e.g. MUCF's table of agreements and IOPs), for one year and indicator.
final class ReportedFigure: Model, @unchecked Sendable {
    static let schema = "overview_reported"
    var properties: [any AnyProperty] { [$id, $countyCode, $year, $indicator, $value, $raw, $sourceNote, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "county_code") var countyCode: String
    @Field(key: "year") var year: Int
    @Field(key: "indicator") var indicator: String
    @Field(key: "value") var value: TriState
    /// What the file said, as written ("–*").
    @Field(key: "raw") var raw: String
    @Field(key: "source_note") var sourceNote: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}
