import type { z } from 'zod';
import type { EventIssue } from '../errors';

/** zod's issues in the flat form InvalidEventError carries. */
export function issuesOf(error: z.ZodError): EventIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
