/**
 * The operationId of a route, derived from its method and path alone so that it never changes
 * while the route does not: clients generated from the document name their functions after it.
 * GET /api/v1/schools/{schoolId}/students/export.xlsx → getSchoolsBySchoolIdStudentsExportXlsx.
 * The version prefix is left out: every route lives under /api/v1 today.
 */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api(\/v1)?(?=\/|$)/, '')
    .split('/')
    .filter((segment) => segment !== '')
    .flatMap((segment) => {
      // Fastify writes a parameter ":schoolId", OpenAPI "{schoolId}".
      const param = /^(?::(\w+)|\{(\w+)\})$/.exec(segment);
      if (param) return ['by', ...splitWords(param[1] ?? param[2] ?? '')];
      return splitWords(segment);
    });
  return [method.toLowerCase(), ...words.map(capitalise)].join('');
}

/** "personal-data.pdf" → personal, data, pdf; "schoolId" → school, Id. */
function splitWords(segment: string): string[] {
  return segment.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
}

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
