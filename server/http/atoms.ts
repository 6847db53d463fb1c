/** The pieces every route's schemas are made of. */
import * as z from 'zod/mini';

export const noNul = z.regex(/^[^\u0000]*$/, { error: 'no NUL character' });
export const Name = z.string().check(z.minLength(1), z.maxLength(100), noNul);
export const Id = z.string().check(z.minLength(1), z.maxLength(200), noNul);
export const Key = z.string().check(z.minLength(1), z.maxLength(1000), noNul);
export const ProjectApp = z.object({ project: Id, app: Name });
export const ReportIn = z.looseObject({
  kind: z.string().check(z.regex(/^[a-z]{1,20}$/)),
  series: z.string().check(z.maxLength(1000)),
  n: z.number(),
  time: z.number(),
  panel: z.string().check(z.maxLength(200)),
});
