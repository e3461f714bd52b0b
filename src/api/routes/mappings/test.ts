/**
 * POST /v1/mappings/test — runs fixture cases: of a set given as `content` (not stored) or of a stored
 * `version`, its own tests plus any `cases` given. Answers each case's result (passed, or the
 * differences field by field) and a summary; failing cases are a 200 answer, an invalid set or case a
 * 400 LL_ERR_MAPPING_INVALID.
 */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import { checkCasesValue } from '../../../mapping/case-files.js';
import { ownCases, runCases } from '../../../mapping/case-runner.js';
import { loadMappingSet } from '../../../mapping/load-mapping-set.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

const TestBody = Type.Object(
  {
    content: Type.Optional(Type.String({ minLength: 1, description: 'a mapping set as YAML text' })),
    version: Type.Optional(Type.String({ minLength: 3, maxLength: 100, description: 'a stored mapping set version' })),
    cases: Type.Optional(
      Type.Array(Type.Unknown(), { maxItems: 10_000, description: "more cases, in the shape of a set's tests" }),
    ),
  },
  { additionalProperties: false },
);

export function registerTestMappingRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/mappings/test',
    {
      config: { action: 'mappings:read' },
      schema: { summary: 'Run fixture cases against a mapping set', body: TestBody },
    },
    async (request) => {
      const { content, version, cases } = request.body;
      if ((content === undefined) === (version === undefined)) {
        throw new LedgerlinkError('LL_ERR_BAD_REQUEST', 'Give exactly one of content and version', {
          details: [{ path: 'body', message: 'exactly one of content, version' }],
        });
      }
      const set =
        content !== undefined
          ? loadMappingSet(content, { source: 'request' })
          : await ctx.mappings.source.byVersion(version!);
      const all = [...ownCases(set.tests), ...(cases === undefined ? [] : checkCasesValue(cases, 'cases', set))];
      const { results, summary } = await runCases(set, all);
      return { version: set.version, summary, results };
    },
  );
}
