// Single entry point for the shared rule modules, so server and web import
// `domain/index.js` and never reach into individual files.
export * from './names/vietnamese-name.js';
export * from './names/name-search.js';
export * from './dates/vn-date.js';
export * from './dates/school-year.js';
export * from './ids/learner-ids.js';
export * from './text/compare-text.js';
export * from './text/clean-text.js';
export * from './curriculum/gdpt-2018.js';
export * from './privacy/consent.js';
export * from './transfers/school-transfer.js';
export * from './students/date-of-birth.js';
export * from './assessment/marks.js';
export * from './assessment/outcome.js';
export * from './assessment/tt22.js';
export * from './assessment/rule-sets.js';
export * from './assessment/gradebook-grid.js';
export * from './assessment/primary-grid.js';
export * from './assessment/tt27.js';
export * from './assessment/tt58.js';
export * from './assessment/preschool.js';
export * from './assessment/tt22-results.js';
export * from './attendance/lessons.js';
export * from './contact/contact-book.js';
