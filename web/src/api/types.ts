// What the API answers and what it is sent, each named after its zod contract (ZStudentProfile →
// StudentProfile): answers are the contract's output (z.infer), requests its input (z.input:
// defaults may be left out). Every `api.*` call names its types from here, never a shape of its
// own. Type-only imports: these lines add nothing to the bundle.
import type { z } from 'zod';
import type { ZAddGrant, ZAuditEntry, ZAuditPage, ZCodeListItem, ZCreateUser, ZResetPassword, ZUser } from '../../../contracts/admin';
import type { ZChangePasswordRequest, ZLoginRequest, ZMe, ZSessionState } from '../../../contracts/auth';
import type { ZInbox, ZMarkRead, ZMarkReadResult, ZNoticePreferences, ZNoticeSettings, ZPushKey, ZPushSubscribe, ZRetryResult, ZSentFailures, ZUnread } from '../../../contracts/notifications';
import type { ZOk } from '../../../contracts/common';
import type { ZClassGradebooks, ZGradebook, ZGradebookImportIssue, ZGradebookImportResult, ZGradebookTransition, ZPublishColumns, ZSaveGradebookCells, ZSaveGradebookResult } from '../../../contracts/gradebook';
import type { ZQualityRatings, ZQualityTransition, ZSaveQualityRatings, ZSaveQualityRatingsResult, ZSaveYearComments, ZSaveYearCommentsResult } from '../../../contracts/gradebook';
import type { ZAttendance, ZLessonAttendance, ZLessonAttendanceSetting, ZLessonAttendanceSwitch, ZSaveAttendance, ZSaveLessonRoll } from '../../../contracts/attendance';
import type { ZImportJob } from '../../../contracts/imports';
import type { ZLegacyImportResult, ZLegacyResults } from '../../../contracts/legacy-results';
import type { ZHocBaBatch, ZJob } from '../../../contracts/jobs';
import type {
  ZCloseOrgUnit,
  ZCreateOrgUnit,
  ZMergeOrgUnit,
  ZMergeOrgUnitResult,
  ZMoveOrgUnit,
  ZOrgTree,
  ZOrgUnit,
  ZOrgUnitDetail,
  ZRenameOrgUnit,
  ZUnitSchools,
} from '../../../contracts/org';
import type { ZAccessLog, ZAnonymisationList, ZAnonymise, ZAnonymiseResult, ZConsentOverview, ZRecordConsent } from '../../../contracts/privacy';
import type { ZClassResults, ZCloseResults, ZCloseSummary, ZFamilyResults, ZPrimaryAwards, ZPublishResults, ZSavePrimaryAward, ZTrainingRatings } from '../../../contracts/results';
import type { ZExemptions, ZReclassify, ZReclassifySummary, ZSetExemption, ZSummer, ZSummerRetests, ZSummerStateChange, ZSummerTraining } from '../../../contracts/results';
import type {
  ZAssignment,
  ZClass,
  ZCreateAssignment,
  ZCreateClass,
  ZCreateStaff,
  ZDashboard,
  ZSchoolSubject,
  ZSchoolYear,
  ZStaff,
  ZStaffDirectoryEntry,
  ZSubjectRef,
  ZUpdateClass,
  ZUpdateStaff,
} from '../../../contracts/school';
import type {
  ZChangeStatus,
  ZCreateStudent,
  ZStudentEvent,
  ZStudentList,
  ZStudentListItem,
  ZStudentProfile,
  ZTransferClass,
  ZUpdateStudent,
} from '../../../contracts/students';
import type {
  ZAcceptTransfer,
  ZCancelTransfer,
  ZDeclineTransfer,
  ZDestination,
  ZIssueTransfer,
  ZRequestTransfer,
  ZTransferItem,
  ZTransferList,
} from '../../../contracts/transfers';

export type { Role } from '../../../contracts/roles';

// The contact book's notices (features/notifications)
export type Inbox = z.infer<typeof ZInbox>;
export type Unread = z.infer<typeof ZUnread>;
export type MarkReadBody = z.infer<typeof ZMarkRead>;
export type MarkReadResult = z.infer<typeof ZMarkReadResult>;
export type NoticePreferences = z.infer<typeof ZNoticePreferences>;
export type NoticeSettings = z.infer<typeof ZNoticeSettings>;
export type PushKey = z.infer<typeof ZPushKey>;
export type PushSubscribeBody = z.input<typeof ZPushSubscribe>;
export type SentFailures = z.infer<typeof ZSentFailures>;
export type RetryResult = z.infer<typeof ZRetryResult>;

// Answers
export type Ok = z.infer<typeof ZOk>;
export type Me = z.infer<typeof ZMe>;
export type SessionState = z.infer<typeof ZSessionState>;
export type OrgUnit = z.infer<typeof ZOrgUnit>;
export type OrgTree = z.infer<typeof ZOrgTree>;
export type OrgUnitDetail = z.infer<typeof ZOrgUnitDetail>;
export type MergeOrgUnitResult = z.infer<typeof ZMergeOrgUnitResult>;
export type UnitSchools = z.infer<typeof ZUnitSchools>;
export type Dashboard = z.infer<typeof ZDashboard>;
export type SchoolYear = z.infer<typeof ZSchoolYear>;
export type ClassItem = z.infer<typeof ZClass>;
export type Staff = z.infer<typeof ZStaff>;
export type StaffDirectoryEntry = z.infer<typeof ZStaffDirectoryEntry>;
export type Assignment = z.infer<typeof ZAssignment>;
export type SchoolSubject = z.infer<typeof ZSchoolSubject>;
export type SubjectRef = z.infer<typeof ZSubjectRef>;
export type StudentListItem = z.infer<typeof ZStudentListItem>;
export type StudentList = z.infer<typeof ZStudentList>;
export type StudentProfile = z.infer<typeof ZStudentProfile>;
export type StudentEvent = z.infer<typeof ZStudentEvent>;
export type ImportJob = z.infer<typeof ZImportJob>;
/** A background job as its page shows it (platform/jobs.ts). */
export type Job = z.infer<typeof ZJob>;
export type HocBaBatch = z.input<typeof ZHocBaBatch>;
export type TransferItem = z.infer<typeof ZTransferItem>;
export type TransferList = z.infer<typeof ZTransferList>;
export type TransferDestination = z.infer<typeof ZDestination>;
export type User = z.infer<typeof ZUser>;
export type AuditEntry = z.infer<typeof ZAuditEntry>;
export type AuditPage = z.infer<typeof ZAuditPage>;
export type CodeListItem = z.infer<typeof ZCodeListItem>;
export type ConsentOverview = z.infer<typeof ZConsentOverview>;
export type AccessLog = z.infer<typeof ZAccessLog>;
export type AnonymisationList = z.infer<typeof ZAnonymisationList>;
export type AnonymiseResult = z.infer<typeof ZAnonymiseResult>;
export type Gradebook = z.infer<typeof ZGradebook>;
export type ClassGradebooks = z.infer<typeof ZClassGradebooks>;
export type SaveGradebookResult = z.infer<typeof ZSaveGradebookResult>;
export type QualityRatings = z.infer<typeof ZQualityRatings>;
export type SaveQualityRatingsResult = z.infer<typeof ZSaveQualityRatingsResult>;
export type ClassResults = z.infer<typeof ZClassResults>;
export type FamilyResults = z.infer<typeof ZFamilyResults>;
export type SaveYearCommentsResult = z.infer<typeof ZSaveYearCommentsResult>;
export type PrimaryAwards = z.infer<typeof ZPrimaryAwards>;
export type LegacyResults = z.infer<typeof ZLegacyResults>;
export type LegacyImportResult = z.infer<typeof ZLegacyImportResult>;
/** A row and column of an .xlsx a file import refused (the grid's, the TT58 results'), with what to fix. */
export type ImportIssue = z.infer<typeof ZGradebookImportIssue>;
export type GradebookImportResult = z.infer<typeof ZGradebookImportResult>;
export type CloseSummary = z.infer<typeof ZCloseSummary>;
export type Exemptions = z.infer<typeof ZExemptions>;
export type SetExemption = z.input<typeof ZSetExemption>;
export type Summer = z.infer<typeof ZSummer>;
export type SummerRetests = z.input<typeof ZSummerRetests>;
export type SummerTraining = z.input<typeof ZSummerTraining>;
export type SummerStateChange = z.input<typeof ZSummerStateChange>;
export type Reclassify = z.input<typeof ZReclassify>;
export type ReclassifySummary = z.infer<typeof ZReclassifySummary>;
export type Attendance = z.infer<typeof ZAttendance>;
export type LessonAttendance = z.infer<typeof ZLessonAttendance>;
export type LessonAttendanceSetting = z.infer<typeof ZLessonAttendanceSetting>;

// Requests
export type LoginRequest = z.input<typeof ZLoginRequest>;
export type ChangePasswordRequest = z.input<typeof ZChangePasswordRequest>;
export type CreateUser = z.input<typeof ZCreateUser>;
export type AddGrant = z.input<typeof ZAddGrant>;
export type ResetPassword = z.input<typeof ZResetPassword>;
export type CreateOrgUnit = z.input<typeof ZCreateOrgUnit>;
export type MoveOrgUnit = z.input<typeof ZMoveOrgUnit>;
export type RenameOrgUnit = z.input<typeof ZRenameOrgUnit>;
export type CloseOrgUnit = z.input<typeof ZCloseOrgUnit>;
export type MergeOrgUnit = z.input<typeof ZMergeOrgUnit>;
export type CreateClass = z.input<typeof ZCreateClass>;
export type UpdateClass = z.input<typeof ZUpdateClass>;
export type CreateStaff = z.input<typeof ZCreateStaff>;
export type UpdateStaff = z.input<typeof ZUpdateStaff>;
export type CreateAssignment = z.input<typeof ZCreateAssignment>;
export type CreateStudent = z.input<typeof ZCreateStudent>;
export type UpdateStudent = z.input<typeof ZUpdateStudent>;
export type TransferClass = z.input<typeof ZTransferClass>;
export type ChangeStatus = z.input<typeof ZChangeStatus>;
export type RequestTransfer = z.input<typeof ZRequestTransfer>;
export type IssueTransfer = z.input<typeof ZIssueTransfer>;
export type AcceptTransfer = z.input<typeof ZAcceptTransfer>;
export type DeclineTransfer = z.input<typeof ZDeclineTransfer>;
export type CancelTransfer = z.input<typeof ZCancelTransfer>;
export type RecordConsent = z.input<typeof ZRecordConsent>;
export type Anonymise = z.input<typeof ZAnonymise>;
export type SaveGradebookCells = z.input<typeof ZSaveGradebookCells>;
export type PublishColumns = z.input<typeof ZPublishColumns>;
export type GradebookTransition = z.input<typeof ZGradebookTransition>;
export type SaveQualityRatings = z.input<typeof ZSaveQualityRatings>;
export type QualityTransition = z.input<typeof ZQualityTransition>;
export type SaveYearComments = z.input<typeof ZSaveYearComments>;
export type SavePrimaryAward = z.input<typeof ZSavePrimaryAward>;
export type TrainingRatings = z.input<typeof ZTrainingRatings>;
export type CloseResults = z.input<typeof ZCloseResults>;
export type PublishResults = z.input<typeof ZPublishResults>;
export type SaveAttendance = z.input<typeof ZSaveAttendance>;
export type SaveLessonRoll = z.input<typeof ZSaveLessonRoll>;
export type LessonAttendanceSwitch = z.input<typeof ZLessonAttendanceSwitch>;
export type {
  TClassMeasurements as ClassMeasurements,
  TDevelopmentSheet as DevelopmentSheet,
  TFamilyDevelopment as FamilyDevelopment,
  TIndicatorSet as IndicatorSet,
  TSaveIndicatorSet as SaveIndicatorSet,
  TMeasurement as Measurement,
  TSaveDevelopment as SaveDevelopment,
  TSaveDevelopmentResult as SaveDevelopmentResult,
  TSaveMeasurements as SaveMeasurements,
  TSaveMeasurementsResult as SaveMeasurementsResult,
} from '../../../contracts/preschool';
export type {
  TActivationClass as ActivationClass,
  TActivationDone as ActivationDone,
  TActivationPreview as ActivationPreview,
  TActivationRedeem as ActivationRedeem,
  TContactCodeAnswer as ContactCodeAnswer,
} from '../../../contracts/activation';

// The contact book: messages and leave requests (issue 11).
import type { ZContactSettings, ZFamilyMessages, ZFamilyWrite, ZQuietHours, ZReportMessage, ZReportedMessages, ZTeacherThreads, ZThread } from '../../../contracts/messages';
import type { ZCreateLeaveRequest, ZDecideLeaveRequest, ZLeaveRequest, ZLeaveRequests } from '../../../contracts/leave-requests';
export type FamilyMessages = z.infer<typeof ZFamilyMessages>;
export type MessageThread = z.infer<typeof ZThread>;
export type FamilyWrite = z.input<typeof ZFamilyWrite>;
export type TeacherThreads = z.infer<typeof ZTeacherThreads>;
export type ReportMessage = z.input<typeof ZReportMessage>;
export type ReportedMessages = z.infer<typeof ZReportedMessages>;
export type ContactSettings = z.infer<typeof ZContactSettings>;
export type QuietHours = z.infer<typeof ZQuietHours>;
export type LeaveRequest = z.infer<typeof ZLeaveRequest>;
export type LeaveRequests = z.infer<typeof ZLeaveRequests>;
export type CreateLeaveRequest = z.input<typeof ZCreateLeaveRequest>;
export type DecideLeaveRequest = z.input<typeof ZDecideLeaveRequest>;
