import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZCodeListItem } from '../../../../contracts/admin.js';
import { ZSubjectRef } from '../../../../contracts/school.js';
import { getCodeList, listSubjects } from './reference.service.js';

const tags = ['reference'];

/** Shared catalogs every signed-in user needs to fill forms (no school data). */
export async function referenceRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/reference/code-lists/:list',
    {
      config: { permission: { access: 'signed_in' } },
      schema: {
        tags,
        summary: 'Danh mục dùng chung của Bộ (CSDL ngành), theo thứ tự gốc',
        params: z.object({ list: z.string().max(100) }),
        response: { 200: z.array(ZCodeListItem) },
      },
    },
    async (req) => getCodeList(app.db, req.params.list),
  );

  app.get(
    '/reference/subjects',
    {
      config: { permission: { access: 'signed_in' } },
      schema: { tags, summary: 'Danh mục môn học', response: { 200: z.array(ZSubjectRef) } },
    },
    async () => listSubjects(app.db),
  );
}
