import type { FastifyInstance } from 'fastify';
import { activationRoutes } from './activation/activation.routes.js';
import { adminRoutes } from './admin/admin.routes.js';
import { announcementRoutes } from './announcements/announcements.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import { gradebookRoutes } from './gradebook/gradebook.routes.js';
import { gradebookJobRoutes } from './gradebook/jobs.routes.js';
import { resultsRoutes } from './gradebook/results.routes.js';
import { legacyResultsRoutes } from './gradebook/legacy-results.routes.js';
import { summerRoutes } from './gradebook/summer.routes.js';
import { leaveRequestRoutes } from './leave-requests/leave-requests.routes.js';
import { messageRoutes } from './messages/messages.routes.js';
import { importRoutes } from './imports/imports.routes.js';
import { notificationRoutes } from './notifications/notifications.routes.js';
import { orgRoutes } from './org/org.routes.js';
import { preschoolRoutes } from './preschool/preschool.routes.js';
import { privacyRoutes } from './privacy/privacy.routes.js';
import { referenceRoutes } from './reference/reference.routes.js';
import { schoolRoutes } from './school/school.routes.js';
import { studentRoutes } from './students/students.routes.js';
import { transferRoutes } from './transfers/transfers.routes.js';

/** Every feature module, mounted under /api/v1. */
export async function registerFeatureModules(app: FastifyInstance): Promise<void> {
  await app.register(authRoutes);
  await app.register(orgRoutes);
  await app.register(schoolRoutes);
  await app.register(adminRoutes);
  await app.register(referenceRoutes);
  await app.register(studentRoutes);
  await app.register(transferRoutes);
  await app.register(importRoutes);
  await app.register(privacyRoutes);
  await app.register(gradebookRoutes);
  await app.register(resultsRoutes);
  await app.register(legacyResultsRoutes);
  await app.register(summerRoutes);
  await app.register(gradebookJobRoutes);
  await app.register(preschoolRoutes);
  await app.register(activationRoutes);
  await app.register(announcementRoutes);
  await app.register(messageRoutes);
  await app.register(leaveRequestRoutes);
  await app.register(notificationRoutes);
}
