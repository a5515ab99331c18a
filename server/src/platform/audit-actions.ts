/**
 * Every action the audit log records, the one list: writeAudit, writeAccountEvent and the import
 * writers take an AuditAction, and the audit presenter (modules/admin/audit-presenter.ts) has a
 * Record<AuditAction, …> of how each one reads. A new action written without a presentation fails
 * the type check; audit-presenter.test.ts renders every one of them.
 */
export const AUDIT_ACTIONS = [
  // students
  'student.create',
  'student.update',
  'student.transfer_class',
  'student.status_change',
  'student.transfer_out',
  'student.transfer_in',
  'student.import_create',
  'student.import_update',
  'student.import_identity_change',
  'student.personal_data_export',
  'student.anonymise',
  'consent.give',
  'consent.withdraw',
  // staff, classes, teaching
  'staff.create',
  'staff.update',
  'staff.import_create',
  'staff.import_update',
  'class.create',
  'class.update',
  'class.import_create',
  'class.import_update',
  'assignment.create',
  'assignment.delete',
  'school_year.create',
  'school_year.update',
  'school_year.lesson_attendance',
  'school_subject.create',
  'school_subject.update',
  // imports (one summary row per file)
  'import.students',
  'import.staff',
  'import.classes',
  // org tree
  'org_unit.create',
  'org_unit.move',
  'org_unit.rename',
  'org_unit.close',
  // school transfers
  'school_transfer.lookup',
  'school_transfer.request',
  'school_transfer.issue',
  'school_transfer.approve',
  'school_transfer.accept',
  'school_transfer.decline',
  'school_transfer.cancel',
  // accounts
  'user.create',
  'role_grant.create',
  'role_grant.delete',
  'user.reset_password',
  'user.unlock',
  'user.locked',
  'user.login_backoff',
  'user.change_password',
  'user.change_password_locked',
  // gradebook
  'gradebook.submit',
  'gradebook.reopen',
  'gradebook.review',
  'gradebook.return',
  'gradebook.lock',
  'gradebook.unlock',
  'gradebook.correct',
  'gradebook.import',
  'gradebook.publish',
  'gradebook.unpublish',
  'results.close',
  'results.publish',
  'results.unpublish',
  'training.rate',
  'exemption.set',
  'exemption.remove',
  'summer.lock',
  'summer.unlock',
  'results.after_summer',
  'results.legacy_import',
  // preschool
  'preschool.indicator_set',
  'preschool.evaluate',
  'preschool.measure',
  // linking families (contact book)
  'activation.print',
  'activation.redeem',
  // announcements (thông báo)
  'announcement.send',
  'announcement.schedule',
  'announcement.edit',
  'announcement.cancel',
  'announcement.remind',
  // contact book (issue 11): leave decisions, reported messages, closed threads, the school's setting
  'leave_request.approve',
  'leave_request.decline',
  'leave_request.withdraw',
  'message.report',
  'message_thread.close',
  'message_thread.reopen',
  'contact.settings',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an audit row is about (audit_log.entity). */
export const AUDIT_ENTITIES = [
  'student',
  'staff',
  'class',
  'teaching_assignment',
  'school_year',
  'school_subject',
  'import_job',
  'org_unit',
  'school_transfer',
  'app_user',
  'role_grant',
  'gradebook',
  'announcement',
] as const;

export type AuditEntity = (typeof AUDIT_ENTITIES)[number];
