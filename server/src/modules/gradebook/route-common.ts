import type { FastifyRequest } from 'fastify';
import { idParams } from '../../../../contracts/common.js';
import { GRADEBOOK_ROLES, RESULTS_READ_ROLES } from '../../../../contracts/roles.js';
import type { Permission } from '../../platform/permissions.js';
import { requireActor } from '../../platform/request-context.js';
import type { Caller } from './class-standing.js';

// What the gradebook's route files share: the OpenAPI tag, the path parameters, the permissions
// and the caller the services decide from.

export const tags = ['gradebook'];
export const classParams = idParams('schoolId', 'classId');
export const schoolParams = idParams('schoolId');
/** Anyone who works in the school's gradebook; who may do what inside a class (homeroom, subject teachers, managers) is the service's rule. */
export const inSchool: Permission = { access: 'unit', param: 'schoolId', roles: GRADEBOOK_ROLES };
export const principal: Permission = { access: 'unit', param: 'schoolId', roles: ['principal'] };
/** What the offices read too (TT22/TT27 results of the schools below them): the service still decides inside the school (readsResults). */
export const resultsReaders: Permission = { access: 'unit', param: 'schoolId', roles: RESULTS_READ_ROLES };

export const callerOf = (req: FastifyRequest): Caller => ({ actor: requireActor(req), roles: req.scope.roles, ip: req.ip });
