// What other modules use of the students module: the caller, the access check and the profile
// (privacy), the placement check and the record move a completed school transfer makes
// (transfers). The services live in one file per thing a user does:
//   students-list.service.ts      list, search, Excel and PDF exports
//   students-profile.service.ts   one profile and who may see it
//   students-records.service.ts   admit a student, edit a record and its guardians
//   students-movements.service.ts class transfer, status change
//   students-school-move.service.ts the record move when a school transfer completes
// and share students.common.ts (caller, roles, school years, placement) and students.presenters.ts.
export { type Caller, requirePlaceableClass } from './students.common.js';
export { assertCanSee, buildProfile, requireStudent } from './students-profile.service.js';
export { moveLearner } from './students-school-move.service.js';
