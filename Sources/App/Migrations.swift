import Fluent
import SamverkaRules
import Vapor

/// Every migration, in the order it runs. Each module keeps its migrations in its `Migrations/` folder, numbered
/// within the module (`P` Platform, `D` Directory, `A` Accounts, `G` Grants, `DL` Dialogue …); a new migration is
/// added at the end of its module's group. An installation runs those it has not run, in this order.
enum MigrationOrder {
    static func all(_ app: Application) -> [any Migration] {
        [
            // Platform
            CreatePlatformTables(), KeyAuditChain(), CreateJobRuns(), CreateLongTasks(),
            // Directory
            CreateDirectory(), LoadReferenceData(dataDirectory: app.directory.resourcesDirectory + "Data"), CountDirectoryChanges(), IndexCompoundParts(), CountReferenceChanges(),
            IndexDeletedOrganisations(), SearchTablePerKind(), IndexSortKey(),
            // Accounts (A001 also made the mail outbox, which Platform/Mail owns now)
            CreateAccounts(), CreateNotifications(),
            // Grants
            CreateGrants(), GrantsJavDutiesAndRegistry(), GrantsReportCompletionRequests(), GrantsStateAidRegister(), GrantsReportAttachments(), GrantsRegisterIndexes(), GrantsRegisterCounts(), GrantsRegisterCoveringIndexes(),
            // Dialogue
            CreateDialogue(), DialogueSecrecyMarkings(),
            // Agreements
            CreateAgreements(),
            // Partnerships
            CreatePartnerships(),
            // Surveys and the national overview
            CreateSurveys(),
        ]
    }
}
